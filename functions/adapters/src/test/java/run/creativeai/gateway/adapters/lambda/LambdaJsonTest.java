package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.json.Json;

/** A scheduled function's event and answer, read and written without the project's mapper, as the mapper would. */
class LambdaJsonTest {
    private static final String SCHEDULED = """
            {"version":"0","id":"5e1c","detail-type":"Scheduled Event","source":"aws.events","time":"2026-12-05T10:00:00Z",
             "region":"eu-west-1","resources":["arn:aws:events:eu-west-1:123456789012:rule/sweep"],
             "detail":{"restarted_at":"2026-12-05T09:59:58Z","attempt":2,"ratio":0.5,"late":false,"none":null}}
            """;

    private static Map<String, Object> read(String json) throws IOException {
        return LambdaJson.map(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aScheduledEventIsReadAsTheMapperReadsIt() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> byMapper = Json.mapper().readValue(SCHEDULED, Map.class);
        assertThat(read(SCHEDULED)).isEqualTo(byMapper);
        assertThat(ScheduledEvents.restartedAt(read(SCHEDULED))).contains(java.time.Instant.parse("2026-12-05T09:59:58Z"));
    }

    @Test
    void anEmptyOrNonObjectEventIsAnEmptyMapAndBrokenJsonFails() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("[1,2]")).isEmpty();
        assertThatThrownBy(() -> read("{\"time\":")).isInstanceOf(IOException.class);
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThatThrownBy(() -> read(deep)).as("nesting is bounded as for the API's bodies").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{\"time\":\"2026-12-05T10:00:00Z\",\"time\":\"2030-01-01T00:00:00Z\"}"))
                .as("a repeated key is refused, as the mapper refuses it").isInstanceOf(IOException.class);
    }

    @Test
    void anAnswerIsWrittenAsTheMapperWritesIt() throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("looked", 3);
        answer.put("at", "2026-12-05T10:00:00Z");
        answer.put("minute_counted", true);
        answer.put("document", "{\"status\":\"operational\", \"note\":\"\\u00e9\\n\"}");
        answer.put("list", List.of(1L, "two", Map.of("three", 3.5)));
        answer.put("nothing", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaJson.write(answer, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Json.mapper().writeValueAsString(answer));
    }
}
