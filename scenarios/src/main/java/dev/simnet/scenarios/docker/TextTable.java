package dev.simnet.scenarios.docker;

import java.util.ArrayList;
import java.util.List;

/**
 * Column alignment as the docker CLI prints tables: Go's {@code tabwriter} with minimum width 10,
 * padding 3, spaces; the last column is not padded.
 */
public final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();
    private final int minWidth;
    private final int padding;

    /** A table with Docker's settings (min width 10, padding 3). */
    public TextTable() {
        this(10, 3);
    }

    /** A table with the given tabwriter settings. */
    public TextTable(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** Adds a row. */
    public TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    /** Renders all rows, each ending in a newline. */
    public String render() {
        int cols = 0;
        for (List<String> r : rows) {
            cols = Math.max(cols, r.size());
        }
        int[] w = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size() - 1; i++) {
                w[i] = Math.max(w[i], Math.max(minWidth, width(r.get(i)) + padding));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                sb.append(c);
                if (i < r.size() - 1) {
                    sb.append(" ".repeat(w[i] - width(c)));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
