package dev.simnet.scenarios.compose;

/**
 * A problem in a compose (or simnet steps) file, located at {@code file:line:column} with the
 * dotted path of the offending key and what was expected. {@link #getMessage()} is one line, ready
 * to print to a user.
 */
public final class ComposeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final int column;
    private final String path;
    private final String problem;

    /**
     * @param file    the file name as the user gave it
     * @param line    1-based line, or 0 when unknown
     * @param column  1-based column, or 0 when unknown
     * @param path    dotted path of the key ({@code services.web.ports[0]}), or empty
     * @param problem what is wrong and what was expected
     */
    public ComposeException(String file, int line, int column, String path, String problem) {
        super(format(file, line, column, path, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.path = path;
        this.problem = problem;
    }

    private static String format(String file, int line, int column, String path, String problem) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(problem.replace('\n', ' ')).toString();
    }

    /** The file name as given. */
    public String file() {
        return file;
    }

    /** 1-based line (0 when unknown). */
    public int line() {
        return line;
    }

    /** 1-based column (0 when unknown). */
    public int column() {
        return column;
    }

    /** Dotted path of the offending key. */
    public String path() {
        return path;
    }

    /** The problem without the location prefix. */
    public String problem() {
        return problem;
    }
}
