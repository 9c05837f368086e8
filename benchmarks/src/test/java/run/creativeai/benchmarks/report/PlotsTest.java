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
}
