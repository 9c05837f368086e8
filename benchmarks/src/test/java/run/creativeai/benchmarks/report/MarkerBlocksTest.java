package run.creativeai.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkerBlocksTest {
    private static final String DOC = """
            # Benchmarks

            Prose the team wrote, kept as it is.

            <!-- bench:limiter -->
            | old | table |
            <!-- /bench:limiter -->

            More prose.
            <!-- bench:pipeline -->
            old pipeline
            <!-- /bench:pipeline -->
            Closing words.
            """;

    @Test
    void freshResultsReplaceTheirBlocksAndEverythingElseStaysByteForByte() {
        String out = MarkerBlocks.rewrite(DOC, Map.of("limiter", "| new | table |\n|---|---|"));

        assertThat(out).isEqualTo(DOC.replace("| old | table |\n", "| new | table |\n|---|---|\n"));
    }

    @Test
    void aBlockWithoutAFreshResultKeepsItsPreviousNumbers() {
        String out = MarkerBlocks.rewrite(DOC, Map.of("pipeline", "new pipeline\n"));

        assertThat(out).contains("| old | table |").contains("new pipeline").doesNotContain("old pipeline")
                .endsWith("Closing words.\n");
    }

    @Test
    void replacementTextWithDollarsAndBackslashesIsTakenLiterally() {
        String out = MarkerBlocks.rewrite(DOC, Map.of("limiter", "$0.25 per 1 \\ million $1"));

        assertThat(out).contains("<!-- bench:limiter -->\n$0.25 per 1 \\ million $1\n<!-- /bench:limiter -->");
    }

    @Test
    void anUnclosedBlockIsRefusedRatherThanSwallowingTheRestOfTheFile() {
        String broken = DOC.replace("<!-- /bench:pipeline -->\n", "");

        assertThatThrownBy(() -> MarkerBlocks.rewrite(broken, Map.of("limiter", "x"))).hasMessageContaining("closed");
    }

    @Test
    void namesAreListedInDocumentOrder() {
        assertThat(MarkerBlocks.names(DOC)).containsExactly("limiter", "pipeline");
    }

    @Test
    void aResultWithoutABlockGetsASectionAtTheEndAndThePlotLinkFollowsTheTable() {
        String doc = Report.appendMissingBlocks(DOC, java.util.List.of("limiter", "priority"));
        String out = MarkerBlocks.rewrite(doc, Map.of("priority", Report.withPlot("| t |", "priority")));

        assertThat(out).startsWith(DOC).endsWith("""
                ## priority

                <!-- bench:priority -->
                | t |

                ![priority](benchmarks/plots/priority.png)
                <!-- /bench:priority -->
                """);
    }
}
