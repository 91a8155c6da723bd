package dev.simnet.scenarios.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into arguments the way a POSIX shell does for plain words: whitespace
 * separates, single quotes keep everything, double quotes keep everything but {@code \"} and
 * {@code \\}, a backslash outside quotes escapes the next character. No expansions.
 */
public final class Argv {
    private Argv() {
    }

    /** The arguments of {@code line}; throws {@link IllegalArgumentException} for an unterminated quote. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int j = line.indexOf('\'', i + 1);
                if (j < 0) {
                    throw new IllegalArgumentException("unterminated single quote in command \"" + line + "\"");
                }
                cur.append(line, i + 1, j);
                inWord = true;
                i = j + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < line.length() && line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\' && j + 1 < line.length()
                            && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\' || line.charAt(j + 1) == '$')) {
                        j++;
                    }
                    cur.append(line.charAt(j));
                    j++;
                }
                if (j >= line.length()) {
                    throw new IllegalArgumentException("unterminated double quote in command \"" + line + "\"");
                }
                inWord = true;
                i = j + 1;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Joins arguments back into a line, quoting where a shell would need it. */
    public static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (!a.isEmpty() && a.matches("[A-Za-z0-9_./:=@%+,-]+")) {
                sb.append(a);
            } else {
                sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }
}
