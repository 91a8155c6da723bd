package dev.simnet.scenarios.compose;

/**
 * Where something was written in a file, kept on parsed values so later (semantic) checks can
 * point at the offending line.
 *
 * @param file   file name as given
 * @param line   1-based line
 * @param column 1-based column
 * @param path   dotted path of the key
 */
public record Location(String file, int line, int column, String path) {
    /** The location of a node. */
    public static Location of(YamlNode n) {
        return new Location(n.file(), n.line(), n.column(), n.path());
    }

    /** An error at this location. */
    public ComposeException error(String problem) {
        return new ComposeException(file, line, column, path, problem);
    }

    /** {@code file:line:column}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
