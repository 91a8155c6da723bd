package dev.simnet.scenarios.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small evaluator for the Go templates {@code docker inspect -f} takes, over inspect data as
 * plain maps: field paths {@code {{.A.B.C}}} (a missing map key prints {@code <no value>}, as the
 * CLI's raw-JSON fallback does), {@code {{json .X}}}, {@code {{range .X}}…{{end}}} over maps (in
 * key order, as Go sorts them) and lists, {@code {{range $k, $v := .X}}} with {@code $k}/{@code $v},
 * {@code {{index .X "key"}}}, {@code {{println}}}. Text outside actions is copied.
 */
public final class GoTemplate {
    private static final Object NO_VALUE = new Object();

    private GoTemplate() {
    }

    /** Renders {@code template} against {@code data}; throws {@link IllegalArgumentException} on a malformed template. */
    public static String render(String template, Object data) {
        List<Object> nodes = parse(template);
        StringBuilder out = new StringBuilder();
        exec(nodes, data, Map.of(), out);
        return out.toString();
    }

    private record Action(String text) {
    }

    private record Range(String var1, String var2, String expr, List<Object> body) {
    }

    private static List<Object> parse(String t) {
        List<Object> root = new ArrayList<>();
        java.util.ArrayDeque<List<Object>> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<String[]> heads = new java.util.ArrayDeque<>();
        List<Object> cur = root;
        int i = 0;
        while (i < t.length()) {
            int open = t.indexOf("{{", i);
            if (open < 0) {
                cur.add(t.substring(i));
                break;
            }
            if (open > i) {
                cur.add(t.substring(i, open));
            }
            int close = t.indexOf("}}", open);
            if (close < 0) {
                throw new IllegalArgumentException("template: unclosed action (missing \"}}\")");
            }
            String a = t.substring(open + 2, close).trim();
            if (a.startsWith("-")) {
                a = a.substring(1).trim();
            }
            if (a.endsWith("-")) {
                a = a.substring(0, a.length() - 1).trim();
            }
            i = close + 2;
            if (a.startsWith("range ")) {
                String expr = a.substring(6).trim();
                String v1 = null;
                String v2 = null;
                int assign = expr.indexOf(":=");
                if (assign >= 0) {
                    String[] vars = expr.substring(0, assign).split(",");
                    v1 = vars[0].trim();
                    v2 = vars.length > 1 ? vars[1].trim() : null;
                    expr = expr.substring(assign + 2).trim();
                }
                stack.push(cur);
                heads.push(new String[] {v1, v2, expr});
                cur = new ArrayList<>();
            } else if (a.equals("end")) {
                if (stack.isEmpty()) {
                    throw new IllegalArgumentException("template: unexpected {{end}}");
                }
                String[] h = heads.pop();
                List<Object> body = cur;
                cur = stack.pop();
                cur.add(new Range(h[0], h[1], h[2], body));
            } else if (a.startsWith("/*")) {
                continue;
            } else {
                cur.add(new Action(a));
            }
        }
        if (!stack.isEmpty()) {
            throw new IllegalArgumentException("template: unexpected EOF (missing {{end}})");
        }
        return root;
    }

    private static void exec(List<Object> nodes, Object dot, Map<String, Object> vars, StringBuilder out) {
        for (Object n : nodes) {
            if (n instanceof String s) {
                out.append(s);
            } else if (n instanceof Action a) {
                out.append(print(eval(a.text(), dot, vars)));
            } else if (n instanceof Range r) {
                Object v = eval(r.expr(), dot, vars);
                if (v instanceof Map<?, ?> m) {
                    List<String> keys = new ArrayList<>();
                    for (Object k : m.keySet()) {
                        keys.add(String.valueOf(k));
                    }
                    java.util.Collections.sort(keys);
                    for (String k : keys) {
                        exec(r.body(), m.get(k), bind(vars, r, k, m.get(k)), out);
                    }
                } else if (v instanceof List<?> l) {
                    for (int i = 0; i < l.size(); i++) {
                        exec(r.body(), l.get(i), bind(vars, r, (long) i, l.get(i)), out);
                    }
                }
            }
        }
    }

    private static Map<String, Object> bind(Map<String, Object> vars, Range r, Object k, Object v) {
        if (r.var1() == null) {
            return vars;
        }
        Map<String, Object> m = new java.util.HashMap<>(vars);
        if (r.var2() == null) {
            m.put(r.var1(), v);
        } else {
            m.put(r.var1(), k);
            m.put(r.var2(), v);
        }
        return m;
    }

    private static Object eval(String expr, Object dot, Map<String, Object> vars) {
        List<String> words = words(expr);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("template: missing value for command");
        }
        String f = words.get(0);
        switch (f) {
            case "json":
                return Json.compactNoEscape(arg(words, 1, dot, vars));
            case "println": {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i < words.size(); i++) {
                    if (i > 1) {
                        sb.append(' ');
                    }
                    sb.append(print(arg(words, i, dot, vars)));
                }
                return sb.append('\n').toString();
            }
            case "print":
                return print(arg(words, 1, dot, vars));
            case "index": {
                Object base = arg(words, 1, dot, vars);
                for (int i = 2; i < words.size(); i++) {
                    Object k = arg(words, i, dot, vars);
                    if (base instanceof Map<?, ?> m) {
                        base = m.containsKey(String.valueOf(k)) ? m.get(String.valueOf(k)) : NO_VALUE;
                    } else if (base instanceof List<?> l && k instanceof Long idx) {
                        if (idx < 0 || idx >= l.size()) {
                            throw new IllegalArgumentException("template: index out of range: " + idx);
                        }
                        base = l.get(idx.intValue());
                    } else {
                        return NO_VALUE;
                    }
                }
                return base;
            }
            case "upper":
                return print(arg(words, 1, dot, vars)).toUpperCase(java.util.Locale.ROOT);
            case "lower":
                return print(arg(words, 1, dot, vars)).toLowerCase(java.util.Locale.ROOT);
            default:
                if (words.size() > 1) {
                    throw new IllegalArgumentException("template: function \"" + f + "\" not defined");
                }
                return term(f, dot, vars);
        }
    }

    private static Object arg(List<String> words, int i, Object dot, Map<String, Object> vars) {
        if (i >= words.size()) {
            throw new IllegalArgumentException("template: wrong number of args");
        }
        return term(words.get(i), dot, vars);
    }

    private static Object term(String w, Object dot, Map<String, Object> vars) {
        if (w.startsWith("\"") && w.endsWith("\"") && w.length() >= 2) {
            return w.substring(1, w.length() - 1);
        }
        if (w.matches("-?\\d+")) {
            return Long.parseLong(w);
        }
        Object base;
        String rest;
        if (w.startsWith("$")) {
            int dotAt = w.indexOf('.');
            String name = dotAt < 0 ? w : w.substring(0, dotAt);
            if (name.equals("$")) {
                base = dot;
            } else if (!vars.containsKey(name)) {
                throw new IllegalArgumentException("template: undefined variable: " + name);
            } else {
                base = vars.get(name);
            }
            rest = dotAt < 0 ? "" : w.substring(dotAt);
        } else if (w.startsWith(".")) {
            base = dot;
            rest = w;
        } else {
            throw new IllegalArgumentException("template: function \"" + w + "\" not defined");
        }
        Object cur = base;
        for (String part : rest.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            if (cur instanceof Map<?, ?> m) {
                cur = m.containsKey(part) ? m.get(part) : NO_VALUE;
            } else if (cur == null || cur == NO_VALUE) {
                cur = NO_VALUE;
            } else {
                throw new IllegalArgumentException("template: can't evaluate field " + part);
            }
        }
        return cur;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = s.indexOf('"', i + 1);
                if (j < 0) {
                    throw new IllegalArgumentException("template: unterminated quoted string");
                }
                out.add(s.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    /** Prints a value as Go's text/template does ({@code <no value>}, maps as {@code map[k:v]}). */
    private static String print(Object v) {
        if (v == NO_VALUE) {
            return "<no value>";
        }
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) {
                keys.add(String.valueOf(k));
            }
            java.util.Collections.sort(keys);
            StringBuilder sb = new StringBuilder("map[");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(keys.get(i)).append(':').append(print(m.get(keys.get(i))));
            }
            return sb.append(']').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(print(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }
}
