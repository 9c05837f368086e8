package run.creativeai.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's CSV: a header row, then data; the first column is the x axis; a column named
 * {@code series} splits rows into lines; every other column is a y value (one line per column and
 * series). Values are plain (no quoting): benchmarks write numbers and simple names.
 */
public record Csv(List<String> header, List<List<String>> rows) {

    public static Csv parse(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty CSV");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(List.of(line.split(",", -1)).stream().map(String::trim).toList());
        }
        return new Csv(List.of(lines.get(0).split(",", -1)).stream().map(String::trim).toList(), rows);
    }

    /** One plotted line: its label, the y column it comes from, and its points, in file order. */
    public record Line(String label, String column, List<double[]> points) {
    }

    /** A column's unit: what follows its last underscore ("p50_ms" -> "ms"), or the whole name. */
    public static String unit(String column) {
        return column.substring(column.lastIndexOf('_') + 1);
    }

    public String xName() {
        return header.get(0);
    }

    /** The y columns (neither x nor series). */
    public List<String> yNames() {
        return header.subList(1, header.size()).stream().filter(h -> !h.equals("series")).toList();
    }

    public List<Line> lines() {
        int series = header.indexOf("series");
        List<String> ys = yNames();
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        Map<String, String> columns = new LinkedHashMap<>();
        for (List<String> row : rows) {
            double x = Double.parseDouble(row.get(0));
            for (String y : ys) {
                String cell = row.get(header.indexOf(y));
                if (cell.isEmpty()) {
                    continue;
                }
                String label = series >= 0 ? (ys.size() > 1 ? row.get(series) + " " + y : row.get(series)) : y;
                lines.computeIfAbsent(label, l -> new ArrayList<>()).add(new double[] {x, Double.parseDouble(cell)});
                columns.put(label, y);
            }
        }
        List<Line> out = new ArrayList<>();
        lines.forEach((label, points) -> out.add(new Line(label, columns.get(label), points)));
        return out;
    }
}
