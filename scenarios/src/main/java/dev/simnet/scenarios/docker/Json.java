package dev.simnet.scenarios.docker;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and reader over plain Java values ({@link Map} kept in insertion order,
 * {@link List}, {@link String}, {@link Number}, {@link Boolean}, {@code null}). The writer matches
 * Go's {@code json.MarshalIndent(v, "", "    ")} as the docker CLI prints it — including the
 * escaping of {@code <}, {@code >} and {@code &} — so rendered inspect output looks like Docker's.
 */
public final class Json {
    private Json() {
    }

    /** Go-style indented JSON with four spaces. */
    public static String pretty(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, "    ", 0, true);
        return sb.toString();
    }

    /** Compact JSON (Go's {@code json.Marshal}). */
    public static String compact(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, null, 0, true);
        return sb.toString();
    }

    /** Compact JSON without HTML escaping, as the docker CLI's {@code {{json .}}} template function prints it. */
    public static String compactNoEscape(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, null, 0, false);
        return sb.toString();
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        if (indent != null) {
            sb.append('\n');
            for (int i = 0; i < depth; i++) {
                sb.append(indent);
            }
        }
    }

    private static void write(StringBuilder sb, Object v, String indent, int depth, boolean html) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s, html);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof BigDecimal) {
            sb.append(v);
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                string(sb, String.valueOf(e.getKey()), html);
                sb.append(indent != null ? ": " : ":");
                write(sb, e.getValue(), indent, depth + 1, html);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object o : l) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                write(sb, o, indent, depth + 1, html);
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else {
            string(sb, v.toString(), html);
        }
    }

    private static void string(StringBuilder sb, String s, boolean html) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '<': sb.append(html ? "\\u003c" : "<"); break;
                case '>': sb.append(html ? "\\u003e" : ">"); break;
                case '&': sb.append(html ? "\\u0026" : "&"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** Parses JSON text; throws {@link IllegalArgumentException} with the offset on malformed input. */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.ws();
        Object v = r.value(0);
        r.ws();
        if (r.i != text.length()) {
            throw r.fail("unexpected text after the JSON value");
        }
        return v;
    }

    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        IllegalArgumentException fail(String msg) {
            return new IllegalArgumentException("invalid JSON at offset " + i + ": " + msg);
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        Object value(int depth) {
            if (depth > 200) {
                throw fail("nested too deeply");
            }
            if (i >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek('}')) {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    if (!peek('"')) {
                        throw fail("expected a string key");
                    }
                    String k = str();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value(depth + 1));
                    ws();
                    if (peek(',')) {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek(']')) {
                    i++;
                    return l;
                }
                while (true) {
                    ws();
                    l.add(value(depth + 1));
                    ws();
                    if (peek(',')) {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') {
                return str();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int st = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (st == i) {
                throw fail("unexpected character '" + c + "'");
            }
            String num = s.substring(st, i);
            try {
                BigDecimal d = new BigDecimal(num);
                if (d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0 && !num.contains(".")
                        && !num.contains("e") && !num.contains("E")) {
                    return d.longValueExact();
                }
                return d;
            } catch (NumberFormatException | ArithmeticException e) {
                throw fail("bad number " + num);
            }
        }

        boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        String str() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw fail("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw fail("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw fail("bad \\u escape");
                        }
                        i += 4;
                        break;
                    default: sb.append(e);
                }
            }
        }
    }

    /**
     * Follows a path such as {@code $[0].IPAM.Config[0].Subnet}, {@code [0].Name} or
     * {@code 0.Containers} through parsed JSON; returns {@link #MISSING} when a step does not exist.
     */
    public static Object path(Object root, String path) {
        String p = path.trim();
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        Object cur = root;
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            String key;
            if (c == '.') {
                i++;
                continue;
            }
            if (c == '[') {
                int j = p.indexOf(']', i);
                if (j < 0) {
                    throw new IllegalArgumentException("unterminated '[' in path " + path);
                }
                key = p.substring(i + 1, j);
                if (key.length() >= 2 && (key.startsWith("\"") || key.startsWith("'"))) {
                    key = key.substring(1, key.length() - 1);
                }
                i = j + 1;
            } else {
                int j = i;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                key = p.substring(i, j);
                i = j;
            }
            if (cur instanceof Map<?, ?> m) {
                if (!m.containsKey(key)) {
                    return MISSING;
                }
                cur = m.get(key);
            } else if (cur instanceof List<?> l) {
                int idx;
                try {
                    idx = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    return MISSING;
                }
                if (idx < 0) {
                    idx += l.size();
                }
                if (idx < 0 || idx >= l.size()) {
                    return MISSING;
                }
                cur = l.get(idx);
            } else {
                return MISSING;
            }
        }
        return cur;
    }

    /** Marker for a path that leads nowhere. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };
}
