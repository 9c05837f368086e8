package run.creativeai.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a benchmark prints, also kept under target/benchmarks/ so a run's numbers can be read back. */
final class Measurements {
    private final String name;
    private final StringBuilder report = new StringBuilder();

    Measurements(String name) {
        this.name = name;
    }

    void line(String format, Object... args) {
        String text = String.format(format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** The q-quantile (0..1) by nearest rank. */
    static long quantile(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    void save() {
        write(name + ".txt", report.toString());
    }

    /** The markdown table(s) BENCHMARKS.md shows between this benchmark's markers: {@code target/benchmarks/<name>.md}. */
    void saveMarkdown(String markdown) {
        write(name + ".md", markdown);
    }

    /** Data to plot, header row first: {@code target/benchmarks/<name>.csv}. */
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
