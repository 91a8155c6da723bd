package dev.simnet.scenarios.compose;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node from snakeyaml's node API together with its dotted path and source file, so every
 * accessor can fail with a {@link ComposeException} that says {@code file:line:column}, the path,
 * and what was expected. Merge keys ({@code <<: *anchor}) are resolved; duplicate keys are errors;
 * scalars are interpolated ({@code ${VAR:-default}}) when an interpolator is given.
 */
public final class YamlNode {
    private final Node node;
    private final String path;
    private final String file;
    private final UnaryOperator<String> interpolate;
    private final long[] budget;

    /** Node visits allowed per document: aliases may make a small file expand enormously. */
    static final long MAX_VISITS = 5_000_000L;

    private YamlNode(Node node, String path, String file, UnaryOperator<String> interpolate) {
        this(node, path, file, interpolate, new long[] {MAX_VISITS});
    }

    private YamlNode(Node node, String path, String file, UnaryOperator<String> interpolate, long[] budget) {
        this.node = node;
        this.path = path;
        this.file = file;
        this.interpolate = interpolate;
        this.budget = budget;
        if (--budget[0] < 0) {
            throw new ComposeException(file, line(), column(), path,
                    "the document expands to too many nodes through aliases (more than " + MAX_VISITS + ")");
        }
    }

    /** Parses one YAML document; an empty document gives {@code null}. */
    public static YamlNode parse(String text, String file, UnaryOperator<String> interpolate) {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(100);
        opts.setNestingDepthLimit(64);
        Yaml yaml = new Yaml(opts);
        Node root;
        try (Reader r = new StringReader(text)) {
            root = yaml.compose(r);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : "malformed YAML";
            if (e.getContext() != null) {
                problem = e.getContext() + ": " + problem;
            }
            throw new ComposeException(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, "",
                    "invalid YAML: " + oneLine(problem) + hint(problem));
        } catch (YAMLException e) {
            throw new ComposeException(file, 0, 0, "", "invalid YAML: " + oneLine(String.valueOf(e.getMessage())));
        } catch (java.io.IOException e) {
            throw new ComposeException(file, 0, 0, "", "cannot read: " + e.getMessage());
        }
        return root == null ? null : new YamlNode(root, "", file, interpolate == null ? UnaryOperator.identity() : interpolate);
    }

    /** Plain words after snakeyaml's message for the mistakes people make most. */
    static String hint(String problem) {
        if (problem.contains("expected <block end>") || problem.contains("expected <block mapping end>")) {
            return " — this line is indented differently from the keys before it (YAML nests by indentation)";
        }
        if (problem.contains("mapping values are not allowed here")) {
            return " — a value contains ': ' (quote it) or a key is indented under a plain value";
        }
        if (problem.contains("flow sequence") || problem.contains("flow mapping")) {
            return " — an unclosed [ ] or { } (or a missing comma between its items)";
        }
        return "";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /** The same node with variable interpolation switched off (for blocks whose text is taken literally). */
    public YamlNode literal() {
        return new YamlNode(node, path, file, UnaryOperator.identity(), budget);
    }

    /** The dotted path ({@code services.web.ports[0]}). */
    public String path() {
        return path;
    }

    /** The file name. */
    public String file() {
        return file;
    }

    /** 1-based line of the node's start. */
    public int line() {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** 1-based column of the node's start. */
    public int column() {
        return node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1;
    }

    /** An error located at this node. */
    public ComposeException error(String problem) {
        return new ComposeException(file, line(), column(), path, problem);
    }

    /** True for a mapping. */
    public boolean isMap() {
        return node instanceof MappingNode;
    }

    /** True for a sequence. */
    public boolean isList() {
        return node instanceof SequenceNode;
    }

    /** True for a scalar that is not null. */
    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** True for {@code ~}, {@code null} or an empty value. */
    public boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** A short description of the node's kind for error messages. */
    public String kind() {
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        if (isNull()) {
            return "nothing (null)";
        }
        return "\"" + rawText() + "\"";
    }

    private String rawText() {
        return ((ScalarNode) node).getValue();
    }

    /** The entries of a mapping in file order, merge keys applied; fails unless this is a mapping. */
    public LinkedHashMap<String, YamlNode> entries() {
        if (!isMap()) {
            throw error("expected a mapping, got " + kind());
        }
        LinkedHashMap<String, YamlNode> out = new LinkedHashMap<>();
        Map<String, YamlNode> merged = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode)) {
                throw new YamlNode(k, path, file, interpolate, budget).error("expected a plain key, got a complex key");
            }
            String key = ((ScalarNode) k).getValue();
            if (Tag.MERGE.equals(k.getTag()) || "<<".equals(key)) {
                YamlNode v = child(t.getValueNode(), path);
                List<YamlNode> sources = v.isList() ? v.items() : List.of(v);
                for (YamlNode s : sources) {
                    if (!s.isMap()) {
                        throw s.error("merge key '<<' expects a mapping or a list of mappings, got " + s.kind());
                    }
                    for (Map.Entry<String, YamlNode> e : s.entries().entrySet()) {
                        merged.putIfAbsent(e.getKey(), child(e.getValue().node, join(path, e.getKey())));
                    }
                }
                continue;
            }
            if (out.containsKey(key)) {
                throw new YamlNode(k, join(path, key), file, interpolate, budget)
                        .error("duplicate key (already defined at line " + keyLine(key) + ")");
            }
            out.put(key, child(t.getValueNode(), join(path, key)));
        }
        for (Map.Entry<String, YamlNode> e : merged.entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue());
        }
        return out;
    }

    private int keyLine(String key) {
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return s.getStartMark().getLine() + 1;
            }
        }
        return 0;
    }

    /** The key node of {@code key} in this mapping (for errors pointing at the key itself). */
    public YamlNode keyNode(String key) {
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return new YamlNode(s, join(path, key), file, interpolate, budget);
            }
        }
        return this;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private YamlNode child(Node n, String p) {
        return new YamlNode(n, p, file, interpolate, budget);
    }

    /** The value at {@code key}, or null when absent. Fails unless this is a mapping. */
    public YamlNode get(String key) {
        return entries().get(key);
    }

    /** The items of a sequence; fails unless this is a list. */
    public List<YamlNode> items() {
        if (!isList()) {
            throw error("expected a list, got " + kind());
        }
        List<YamlNode> out = new ArrayList<>();
        int i = 0;
        for (Node n : ((SequenceNode) node).getValue()) {
            out.add(child(n, path + "[" + i++ + "]"));
        }
        return out;
    }

    /** The scalar text (interpolated); fails for mappings, lists and null. */
    public String text() {
        if (!isScalar()) {
            throw error("expected a string, got " + kind());
        }
        try {
            return interpolate.apply(rawText());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** The scalar text, or {@code dflt} when null. */
    public String textOr(String dflt) {
        return isNull() ? dflt : text();
    }

    /** An integer in {@code [min, max]}; {@code what} names it in the error. */
    public int integer(int min, int max, String what) {
        String t = text().trim().replace("_", "");
        try {
            long v = Long.parseLong(t);
            if (v < min || v > max) {
                throw error("expected " + what + " between " + min + " and " + max + ", got " + t);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw error("expected " + what + ", got \"" + t + "\"");
        }
    }

    /** A boolean ({@code true/false}, also YAML 1.1's yes/no/on/off). */
    public boolean bool() {
        String t = text().trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "true": case "yes": case "on": case "y":
                return true;
            case "false": case "no": case "off": case "n":
                return false;
            default:
                throw error("expected true or false, got \"" + text() + "\"");
        }
    }

    /** A string or a list of strings (compose's "string or list" fields). */
    public List<String> stringOrList() {
        if (isNull()) {
            return List.of();
        }
        if (isList()) {
            List<String> out = new ArrayList<>();
            for (YamlNode i : items()) {
                out.add(i.text());
            }
            return out;
        }
        return List.of(text());
    }

    /** A list of strings. */
    public List<String> stringList() {
        List<String> out = new ArrayList<>();
        for (YamlNode i : items()) {
            out.add(i.text());
        }
        return out;
    }
}
