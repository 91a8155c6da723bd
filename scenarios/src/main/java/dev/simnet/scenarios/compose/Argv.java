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
        return split(line, null);
    }

    /** True when {@code line} has a {@code $(…)} command substitution outside single quotes. */
    public static boolean hasSubstitution(String line) {
        boolean single = false;
        for (int i = 0; i + 1 < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' ) {
                single = !single;
            } else if (!single && c == '$' && line.charAt(i + 1) == '(') {
                return true;
            }
        }
        return false;
    }

    /**
     * Like {@link #split(String)}, and {@code $(command)} outside single quotes is replaced by what
     * {@code substitute} returns for the inner command line (trailing newlines removed; split into
     * words unless inside double quotes), as a shell's command substitution does.
     */
    public static List<String> split(String line, java.util.function.UnaryOperator<String> substitute) {
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
            } else if (c == '$' && substitute != null && i + 1 < line.length() && line.charAt(i + 1) == '(') {
                int end = closing(line, i + 2);
                String result = stripNewlines(substitute.apply(line.substring(i + 2, end)));
                String[] words = result.trim().isEmpty() ? new String[0] : result.trim().split("\\s+");
                for (int w = 0; w < words.length; w++) {
                    if (w > 0) {
                        out.add(cur.toString());
                        cur.setLength(0);
                    }
                    cur.append(words[w]);
                    inWord = true;
                }
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < line.length() && line.charAt(j) != '"') {
                    if (substitute != null && line.charAt(j) == '$' && j + 1 < line.length() && line.charAt(j + 1) == '(') {
                        int end = closing(line, j + 2);
                        cur.append(stripNewlines(substitute.apply(line.substring(j + 2, end))));
                        j = end + 1;
                        continue;
                    }
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

    private static int closing(String line, int from) {
        int depth = 1;
        boolean single = false;
        boolean dbl = false;
        for (int k = from; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (!single && !dbl && c == '(') {
                depth++;
            } else if (!single && !dbl && c == ')' && --depth == 0) {
                return k;
            }
        }
        throw new IllegalArgumentException("unterminated $( in command \"" + line + "\"");
    }

    private static String stripNewlines(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == '\n') {
            e--;
        }
        return s.substring(0, e);
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
