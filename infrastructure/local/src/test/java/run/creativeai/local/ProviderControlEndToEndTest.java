package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /_local/providers/{name}} over HTTP: a setting it cannot honour is a 400 naming it, and changes nothing. */
@ExtendWith(LocalCloudExtension.class)
class ProviderControlEndToEndTest {
    private static final String PROVIDER = "seedream";
    private static Api api;

    @BeforeAll
    static void start(LocalCloud cloud) {
        api = new Api(cloud);
    }

    private static Api.Response control(String method, String body) {
        return api.send(HttpRequest.newBuilder(api.url("/_local/providers" + (method.equals("POST") ? "/" + PROVIDER : "")))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode settings() {
        return control("GET", null).json().path(PROVIDER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"latency_ms\":18446744073709551621}| latency_ms",
        "{\"latency_ms\":-1}                  | latency_ms",
        "{\"latency_ms\":1.5}                 | latency_ms",
        "{\"latency_ms\":600001}              | latency_ms",
        "{\"latency_ms\":\"5\"}               | latency_ms",
        "{\"capacity\":4294967297}            | capacity",
        "{\"capacity\":0}                     | capacity",
        "{\"capacity\":2.5}                   | capacity",
        "{\"failure_rate\":1.01}              | failure_rate",
        "{\"failure_rate\":-0.1}              | failure_rate",
        "{\"failure_rate\":1e400}             | failure_rate",
        "{\"mode\":\"slow\",\"capacity\":0}   | capacity",
        "{\"latency\":5}                      | latency"})
    void aValueOutOfRangeOrNotWholeIsA400NamingTheSettingAndChangesNothing(String body, String field) {
        JsonNode before = settings();
        Api.Response response = control("POST", body);
        assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText()).contains(field);
        JsonNode after = settings();
        for (String setting : new String[] {"mode", "latency_ms", "capacity", "failure_rate", "callbacks"}) {
            assertThat(after.path(setting)).as(setting + " after " + body).isEqualTo(before.path(setting));
        }
    }
}
