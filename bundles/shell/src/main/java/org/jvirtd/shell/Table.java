package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A table printed the way virsh prints lists: one leading space, three spaces between columns, the last
 * column unpadded, a dashed line under the header.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    String render() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < columns; i++) {
                out.append(i == 0 ? " " : "   ").append(row[i]);
                if (i < columns - 1) {
                    out.append(" ".repeat(widths[i] - row[i].length()));
                }
            }
            out.append('\n');
            if (r == 0) {
                int dashes = 0;
                for (int width : widths) {
                    dashes += width + 3;
                }
                out.append("-".repeat(dashes)).append('\n');
            }
        }
        return out.toString();
    }
}
