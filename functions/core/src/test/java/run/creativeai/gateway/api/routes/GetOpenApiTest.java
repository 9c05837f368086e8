package run.creativeai.gateway.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;

class GetOpenApiTest {
    private final GetOpenApi route = new GetOpenApi();

    private ApiResponse get(Map<String, String> headers) {
        return route.handle(new ApiRequest(GatewayApi.GET_OPENAPI, headers, Map.of(), new byte[0], "req-1",
                Instant.parse("2026-12-05T09:00:00Z")));
    }

    @Test
    void servesTheRepositorysDocumentByteForByteCacheableAndReadableFromAnyPage() throws IOException {
        ApiResponse response = get(Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Files.readString(Path.of("../../api/openapi.json")));
        JsonNode document = new ObjectMapper().readTree(response.body());
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(response.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "public, max-age=3600").containsEntry("Access-Control-Allow-Origin", "*")
                .containsKey("ETag");
    }

    @Test
    void aClientHoldingTheCurrentETagIsToldNothingChangedWithoutTheDocument() {
        String etag = get(Map.of()).headers().get("ETag");
        ApiResponse unchanged = get(Map.of("if-none-match", "W/\"old\", " + etag));
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers()).containsEntry("ETag", etag);
        assertThat(get(Map.of("if-none-match", "\"old\"")).status()).isEqualTo(200);
    }
}
