package dev.simnet.scenarios.compose;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Compose's variable interpolation in scalar values: {@code $$} for a dollar, {@code $VAR},
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}},
 * {@code ${VAR?error}}, {@code ${VAR:+replacement}}, {@code ${VAR+replacement}}. Values come from
 * the map given (the CLI passes the process environment and the project's {@code .env}).
 */
public final class Interpolator implements UnaryOperator<String> {
    private final Map<String, String> env;

    /** Interpolates from {@code env}. */
    public Interpolator(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String apply(String s) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                int depth = 1;
                int j = i + 2;
                while (j < s.length() && depth > 0) {
                    if (s.charAt(j) == '{') {
                        depth++;
                    } else if (s.charAt(j) == '}') {
                        depth--;
                    }
                    j++;
                }
                if (depth != 0) {
                    throw new IllegalArgumentException("unterminated variable reference in \"" + s + "\" (expected '}')");
                }
                out.append(expand(s.substring(i + 2, j - 1), s));
                i = j;
            } else if (Character.isLetter(n) || n == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.append(env.getOrDefault(s.substring(i + 1, j), ""));
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String expand(String body, String whole) {
        int j = 0;
        while (j < body.length() && (Character.isLetterOrDigit(body.charAt(j)) || body.charAt(j) == '_')) {
            j++;
        }
        String name = body.substring(0, j);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid variable reference \"${" + body + "}\" (expected ${NAME})");
        }
        String rest = body.substring(j);
        String val = env.get(name);
        if (rest.isEmpty()) {
            return val == null ? "" : val;
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1) : rest;
        boolean unset = colon ? (val == null || val.isEmpty()) : val == null;
        if (op.isEmpty()) {
            throw new IllegalArgumentException("invalid variable reference \"${" + body + "}\"");
        }
        String arg = apply(op.substring(1));
        switch (op.charAt(0)) {
            case '-':
                return unset ? arg : val;
            case '?':
                if (unset) {
                    throw new IllegalArgumentException("required variable " + name + " is missing a value: " + arg);
                }
                return val;
            case '+':
                return unset ? "" : arg;
            default:
                throw new IllegalArgumentException("invalid variable reference \"${" + body + "}\" in \"" + whole + "\"");
        }
    }
}
