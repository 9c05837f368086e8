package run.creativeai.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a benchmark main prints, also written where {@code benchmarks/run} gathers results:
 * {@code <dir>/<name>.md} (the markdown tables) and, when there is something to plot,
 * {@code <dir>/<name>.csv}. The directory is {@code -Dbenchmarks.out}, {@code target/benchmarks} by default.
 */
final class Results {
    private final String name;
    private final StringBuilder markdown = new StringBuilder();
    private final StringBuilder csv = new StringBuilder();

    Results(String name) {
        this.name = name;
    }

    void line(String text) {
        System.out.println(text);
        markdown.append(text).append('\n');
    }

    void printf(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.print(text);
        markdown.append(text);
    }

    /** A CSV row (the first call gives the header). */
    void csv(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            csv.append(i == 0 ? "" : ",").append(cells[i] instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : cells[i]);
        }
        csv.append('\n');
    }

    void save() {
        try {
            Path dir = Path.of(System.getProperty("benchmarks.out", "target/benchmarks"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), markdown.toString());
            if (csv.length() > 0) {
                Files.writeString(dir.resolve(name + ".csv"), csv.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
