package run.creativeai.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class JsonLogProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void capture() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(original);
        MDC.clear();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void slf4jFindsTheProviderAndEachEventIsOneJsonLineWithTheContextOfTheInvocation() throws Exception {
        Logger log = LoggerFactory.getLogger("run.creativeai.gateway.dispatch.Dispatcher");
        MDC.put("function_name", "creativeai-dispatcher");
        MDC.put("request_id", "7f0c6d1e");
        MDC.put("cold_start", "true");
        MDC.put("job_id", "gen_01");
        MDC.put("tenant_id", "acme");
        log.info("job {} waits for a slot: its tenant's {} limit is reached", "gen_01", "concurrent_tasks");

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("logger").asText()).isEqualTo("run.creativeai.gateway.dispatch.Dispatcher");
        assertThat(line.path("message").asText())
                .isEqualTo("job gen_01 waits for a slot: its tenant's concurrent_tasks limit is reached");
        assertThat(Instant.parse(line.path("timestamp").asText())).isNotNull();
        assertThat(line.path("function_name").asText()).isEqualTo("creativeai-dispatcher");
        assertThat(line.path("request_id").asText()).isEqualTo("7f0c6d1e");
        assertThat(line.path("cold_start").asText()).isEqualTo("true");
        assertThat(line.path("job_id").asText()).isEqualTo("gen_01");
        assertThat(line.path("tenant_id").asText()).isEqualTo("acme");
    }

    @Test
    void aStackTraceAndAwkwardCharactersStayInsideOneParsableLine() throws Exception {
        Logger log = LoggerFactory.getLogger("x");
        String awkward = "quote \" backslash \\ newline \n tab \t control \u0001 end";
        log.error("failed: {}", awkward, new IllegalStateException("boom"));

        String raw = captured.toString(StandardCharsets.UTF_8);
        assertThat(raw.strip().split("\n")).as("one log event, one line").hasSize(1);
        JsonNode line = lines().get(0);
        assertThat(line.path("message").asText()).isEqualTo("failed: " + awkward);
        assertThat(line.path("error").asText()).contains("IllegalStateException: boom").contains("\n\tat ");
    }

    @Test
    void keyValuePairsOfTheFluentApiBecomeFields() throws Exception {
        LoggerFactory.getLogger("x").atWarn().addKeyValue("provider", "flux").log("circuit {}", "open");
        JsonNode line = lines().get(0);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).isEqualTo("circuit open");
        assertThat(line.path("provider").asText()).isEqualTo("flux");
    }

    @Test
    void eventsBelowTheThresholdAreNotWritten() throws Exception {
        Logger log = LoggerFactory.getLogger("x");
        log.debug("not shown");
        log.info("shown");
        assertThat(lines()).extracting(l -> l.path("message").asText()).containsExactly("shown");
    }

    @Test
    void lambdasApplicationLogLevelWinsOverThePropertyAndUnknownNamesKeepInfo() {
        assertThat(LogLevel.threshold("DEBUG", "ERROR")).isEqualTo(Level.DEBUG);
        assertThat(LogLevel.threshold(null, "warn")).isEqualTo(Level.WARN);
        assertThat(LogLevel.threshold("FATAL", null)).isEqualTo(Level.ERROR);
        assertThat(LogLevel.threshold("loud", null)).isEqualTo(Level.INFO);
        assertThat(LogLevel.threshold(null, null)).isEqualTo(Level.INFO);
    }
}
