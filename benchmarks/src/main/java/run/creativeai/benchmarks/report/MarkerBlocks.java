package run.creativeai.benchmarks.report;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generated parts of BENCHMARKS.md: each sits between a {@code <!-- bench:NAME -->} line and a
 * {@code <!-- /bench:NAME -->} line. Rewriting replaces what is between the two lines of every
 * block a fresh result exists for and leaves everything else (the hand-written prose, and blocks
 * of benchmarks not run this time) byte for byte as it was.
 */
public final class MarkerBlocks {
    private static final Pattern BLOCK = Pattern.compile(
            "(?m)^<!-- bench:([a-z0-9-]+) -->[ \\t]*\\R(.*?)^<!-- /bench:\\1 -->[ \\t]*$", Pattern.DOTALL);
    private static final Pattern OPENING = Pattern.compile("(?m)^<!-- bench:([a-z0-9-]+) -->");

    private MarkerBlocks() {
    }

    /** The document with each named block's content replaced by {@code fresh.get(name)}. */
    public static String rewrite(String document, Map<String, String> fresh) {
        Matcher openings = OPENING.matcher(document);
        int opened = 0;
        while (openings.find()) {
            opened++;
        }
        Matcher blocks = BLOCK.matcher(document);
        StringBuilder out = new StringBuilder();
        int closed = 0;
        while (blocks.find()) {
            closed++;
            String name = blocks.group(1);
            String content = fresh.containsKey(name) ? withFinalNewline(fresh.get(name)) : blocks.group(2);
            blocks.appendReplacement(out, Matcher.quoteReplacement(
                    "<!-- bench:" + name + " -->\n" + content + "<!-- /bench:" + name + " -->"));
        }
        if (closed != opened) {
            throw new IllegalArgumentException(
                    "BENCHMARKS.md has " + opened + " opening bench markers but only " + closed + " closed blocks");
        }
        blocks.appendTail(out);
        return out.toString();
    }

    /** The names of the blocks in the document, in order. */
    public static java.util.List<String> names(String document) {
        java.util.List<String> names = new java.util.ArrayList<>();
        Matcher blocks = BLOCK.matcher(document);
        while (blocks.find()) {
            names.add(blocks.group(1));
        }
        return names;
    }

    private static String withFinalNewline(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }
}
