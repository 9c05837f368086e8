package run.creativeai.benchmarks.report;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The last step of {@code benchmarks/run}: gathers the {@code <name>.md} (and {@code <name>.csv})
 * the benchmarks just wrote under their modules' {@code target/benchmarks/}, prints every table,
 * draws each CSV to {@code benchmarks/plots/<name>.png}, and rewrites the generated blocks of
 * BENCHMARKS.md, including the {@code machine} block (cores, memory, JDK, date, command).
 *
 * <p>Usage: {@code Report <repository root> <command as run> <name>...}: the names of the benchmarks
 * this run produced; blocks of benchmarks not run keep their previous content.
 */
public final class Report {
    static final List<String> RESULT_DIRS = List.of("benchmarks/target/benchmarks",
            "infrastructure/local/target/benchmarks");

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        String command = args[1];
        List<String> names = List.of(args).subList(2, args.length);
        Path plots = root.resolve("benchmarks/plots");
        Files.createDirectories(plots);
        Map<String, String> blocks = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        String stamp = "_Run " + Instant.now().truncatedTo(ChronoUnit.MINUTES) + " by `" + command + "`._\n";
        for (String name : names) {
            Path md = find(root, name + ".md");
            if (md == null) {
                missing.add(name);
                continue;
            }
            String table = Files.readString(md, StandardCharsets.UTF_8);
            System.out.println("==== " + name + " (" + root.relativize(md) + ")");
            System.out.println(table);
            Path csv = find(root, name + ".csv");
            if (csv != null) {
                Path png = plots.resolve(name + ".png");
                Plots.write(name, Csv.parse(Files.readString(csv, StandardCharsets.UTF_8)), png);
                table = withPlot(table, name);
                System.out.println("plot: " + root.relativize(png));
            }
            Path before = find(root, name + ".before.md");
            if (before != null) {
                table = withBefore(table, Files.readString(before, StandardCharsets.UTF_8),
                        System.getProperty("benchmarks.before", "an earlier revision"));
            }
            blocks.put(name, table + "\n" + stamp);
        }
        blocks.put("machine", machine(command));
        Path doc = root.resolve("BENCHMARKS.md");
        String before = Files.readString(doc, StandardCharsets.UTF_8);
        String after = MarkerBlocks.rewrite(appendMissingBlocks(before, blocks.keySet()), blocks);
        Files.writeString(doc, after, StandardCharsets.UTF_8);
        System.out.println("BENCHMARKS.md: " + blocks.keySet() + " rewritten");
        if (!missing.isEmpty()) {
            System.out.println("no result written by: " + missing + " (their blocks keep the previous numbers)");
            System.exit(1);
        }
    }

    /** A block's content: the benchmark's markdown, then the link to its committed plot. */
    static String withPlot(String table, String name) {
        return (table.endsWith("\n") ? table : table + "\n") + "\n![" + name + "](benchmarks/plots/" + name + ".png)\n";
    }

    /**
     * A block that also holds the same benchmark's result on the tree at {@code revision}, run just
     * before this one by the same command (so both saw the same machine), under a heading of its own.
     */
    static String withBefore(String table, String before, String revision) {
        return (table.endsWith("\n") ? table : table + "\n") + "\n#### Before: the same benchmark at `" + revision
                + "`, run just before the result above by the same command\n\n"
                + before.replaceAll("(?m)^(#{1,3}) ", "#### ").strip() + "\n";
    }

    /** A benchmark without a block yet gets a section of its own at the end, so no result is dropped. */
    static String appendMissingBlocks(String document, Iterable<String> names) {
        List<String> present = MarkerBlocks.names(document);
        StringBuilder out = new StringBuilder(document);
        for (String name : names) {
            if (!present.contains(name)) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                out.append("\n## ").append(name).append("\n\n<!-- bench:").append(name).append(" -->\n<!-- /bench:")
                        .append(name).append(" -->\n");
            }
        }
        return out.toString();
    }

    private static Path find(Path root, String file) {
        Path newest = null;
        for (String dir : RESULT_DIRS) {
            Path candidate = root.resolve(dir).resolve(file);
            try {
                if (Files.isRegularFile(candidate) && (newest == null
                        || Files.getLastModifiedTime(candidate).compareTo(Files.getLastModifiedTime(newest)) > 0)) {
                    newest = candidate;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return newest;
    }

    static String machine(String command) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, """
                | machine | |
                |---|---|
                | cores | %d |
                | memory | %.1f GiB |
                | JDK | %s %s (%s) |
                | OS | %s %s %s |
                | last run finished | %s |
                | last command | `%s` (each block names the run it comes from) |
                """, Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), command);
    }
}
