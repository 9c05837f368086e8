package run.creativeai.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void aSeriesColumnSplitsRowsIntoOneLinePerSeries() {
        Csv csv = Csv.parse("t_seconds,series,queue_wait_ms\n0,enterprise,12\n0,free,40\n1.5,enterprise,15\n");

        assertThat(csv.xName()).isEqualTo("t_seconds");
        assertThat(csv.lines()).extracting(Csv.Line::label).containsExactly("enterprise", "free");
        assertThat(csv.lines().get(0).points()).containsExactly(new double[] {0, 12}, new double[] {1.5, 15});
    }

    @Test
    void withoutASeriesColumnEachYColumnIsALineAndEmptyCellsAreGaps() {
        Csv csv = Csv.parse("clients,p50_ms,p99_ms\n1,5,9\n10,,30\n");

        assertThat(csv.lines()).extracting(Csv.Line::label).containsExactly("p50_ms", "p99_ms");
        assertThat(csv.lines().get(0).points()).hasSize(1);
        assertThat(csv.lines().get(1).points()).hasSize(2);
    }

    @Test
    void aColumnsUnitIsWhatFollowsItsLastUnderscore() {
        assertThat(Csv.unit("p50_ms")).isEqualTo("ms");
        assertThat(Csv.unit("jobs_per_s")).isEqualTo("s");
        assertThat(Csv.unit("latency")).isEqualTo("latency");
    }
}
