package run.creativeai.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @Test
    void aCsvBecomesAPngWithoutADisplay(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path png = dir.resolve("pipeline.png");

        Plots.write("pipeline", Csv.parse("clients,jobs_per_s,p50_ms\n1,7.9,104\n10,17.8,265\n100,13.6,6607\n"), png);

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(bytes.length).as("small enough to commit").isLessThan(100_000);
    }

    @Test
    void aSweepOfClientsIsLogarithmicAndASeriesOverTimeIsNot() {
        assertThat(Plots.isSweepOverDecades(java.util.List.of(1.0, 10.0, 100.0, 1.0, 10.0, 100.0))).isTrue();
        assertThat(Plots.isSweepOverDecades(java.util.List.of(1.0, 8.0, 64.0))).isTrue();
        assertThat(Plots.isSweepOverDecades(java.util.List.of(1.0, 2.0, 4.0))).as("less than two decades").isFalse();
        java.util.List<Double> times = new java.util.ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            times.add(i * 0.2);
        }
        assertThat(Plots.isSweepOverDecades(times)).as("60 arrival times from 0.2 s to 12 s").isFalse();
    }
}
