package run.creativeai.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark prints, also kept under target/benchmarks/ where {@code benchmarks/run} gathers
 * it into BENCHMARKS.md: {@code <name>.md} (markdown) and, to be plotted, {@code <name>.csv} (header
 * row first; the first column is the x axis, a column named {@code series} splits lines).
 */
final class Measurements {
    private final String name;
    private final StringBuilder report = new StringBuilder();
    private final StringBuilder csv = new StringBuilder();

    Measurements(String name) {
        this.name = name;
    }

    void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** A CSV row; the first call gives the header. */
    void csv(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            Object cell = cells[i];
            csv.append(i == 0 ? "" : ",").append(cell instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : cell);
        }
        csv.append('\n');
    }

    /** The q-quantile (0..1) by nearest rank. */
    static long quantile(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** What was printed, as {@code <name>.md}, and the rows given to {@link #csv}, as {@code <name>.csv}. */
    void save() {
        saveMarkdown(report.toString());
        if (csv.length() > 0) {
            write(name + ".csv", csv.toString());
        }
    }

    /** Markdown other than what was printed, for a benchmark that prints more than its table. */
    void saveMarkdown(String markdown) {
        write(name + ".md", markdown);
    }

    /** Data to plot, header row first, for a benchmark that builds its rows itself. */
    void saveCsv(List<String> rows) {
        write(name + ".csv", String.join("\n", rows) + "\n");
    }

    private static void write(String file, String content) {
        try {
            Path dir = Path.of("target", "benchmarks");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
