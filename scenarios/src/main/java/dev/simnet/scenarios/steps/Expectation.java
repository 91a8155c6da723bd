package dev.simnet.scenarios.steps;

import dev.simnet.scenarios.compose.Location;
import dev.simnet.scenarios.docker.Json;
import dev.simnet.scenarios.engine.ExecResult;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * One expectation on a command's result.
 *
 * @param kind     what is checked
 * @param path     JSON path for {@link Kind#JSON} ({@code $[0].IPAM.Config[0].Subnet}), else null
 * @param value    expected text (exit code, substring, regex, whole output, JSON value)
 * @param location where it was written
 */
public record Expectation(Kind kind, String path, String value, Location location) {
    /** Kinds of expectation. */
    public enum Kind {
        /** Exit status equals the value. */
        EXIT,
        /** stdout contains the value. */
        CONTAINS,
        /** stdout does not contain the value. */
        NOT_CONTAINS,
        /** stdout matches the regular expression somewhere (multiline mode). */
        REGEX,
        /** stdout equals the value (a single trailing newline ignored on both sides). */
        EQUALS,
        /** stderr contains the value. */
        STDERR_CONTAINS,
        /** stdout parsed as JSON has the value at the path. */
        JSON
    }

    /** The outcome of checking one expectation. */
    public record Result(Expectation expectation, boolean ok, String detail) {
    }

    /** A short readable form ({@code exit 0}, {@code contains "Welcome to nginx!"}). */
    public String describe() {
        switch (kind) {
            case EXIT: return "exit " + value;
            case CONTAINS: return "contains " + quote(value);
            case NOT_CONTAINS: return "does not contain " + quote(value);
            case REGEX: return "matches /" + value + "/";
            case EQUALS: return "equals " + quote(value);
            case STDERR_CONTAINS: return "stderr contains " + quote(value);
            case JSON: return path + " == " + quote(value);
            default: return kind.name();
        }
    }

    private static String quote(String s) {
        String t = s.replace("\n", "\\n");
        return "\"" + (t.length() > 60 ? t.substring(0, 57) + "..." : t) + "\"";
    }

    private static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Checks this expectation against {@code r}. */
    public Result check(ExecResult r) {
        switch (kind) {
            case EXIT:
                return new Result(this, String.valueOf(r.exit()).equals(value.trim()), "exit was " + r.exit());
            case CONTAINS:
                return new Result(this, r.stdout().contains(value), r.stdout().contains(value) ? "found" : "not found in output");
            case NOT_CONTAINS:
                return new Result(this, !r.stdout().contains(value), r.stdout().contains(value) ? "found in output" : "absent");
            case STDERR_CONTAINS:
                return new Result(this, r.stderr().contains(value), r.stderr().contains(value) ? "found" : "not found in stderr");
            case REGEX: {
                boolean ok = Pattern.compile(value, Pattern.MULTILINE).matcher(r.stdout()).find();
                return new Result(this, ok, ok ? "matched" : "no match in output");
            }
            case EQUALS: {
                boolean ok = strip(r.stdout()).equals(strip(value));
                return new Result(this, ok, ok ? "equal" : "output differs");
            }
            case JSON: {
                Object root;
                try {
                    root = Json.parse(r.stdout());
                } catch (IllegalArgumentException e) {
                    return new Result(this, false, "output is not JSON: " + e.getMessage());
                }
                Object v = Json.path(root, path);
                if (v == Json.MISSING) {
                    return new Result(this, false, "path " + path + " not found");
                }
                String actual = v == null ? "null" : v instanceof String s ? s
                        : v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString()
                        : v instanceof java.util.Map || v instanceof java.util.List ? Json.compact(v) : String.valueOf(v);
                boolean ok = actual.equals(value);
                return new Result(this, ok, "value is " + (actual.length() > 80 ? actual.substring(0, 77) + "..." : actual));
            }
            default:
                return new Result(this, false, "unknown expectation");
        }
    }
}
