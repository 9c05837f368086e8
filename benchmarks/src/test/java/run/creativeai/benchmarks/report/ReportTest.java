package run.creativeai.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void aResultMeasuredBeforeFollowsTheFreshOneUnderItsRevisionWithItsHeadingsBelowTheBlocks() {
        String block = Report.withBefore("### Designs\n| after | 2 |\n", "### Designs\n| before | 1 |\n\nA note.\n",
                "683b419");

        assertThat(block).isEqualTo("""
                ### Designs
                | after | 2 |

                #### Before: the same benchmark at `683b419`, run just before the result above by the same command

                #### Designs
                | before | 1 |

                A note.
                """);
    }
}
