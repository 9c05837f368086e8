package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile requests a new user sent with curl, sent the same way over HTTP to the local cloud:
 * each is refused with a 4xx that says what is wrong in the API's words and names the field, and
 * an anonymous caller learns nothing but 401. (A key followed by NUL is tested on the handler, in
 * {@link IngressFuzzTest}: the local HTTP server strips control characters from header values
 * before the function sees them.)
 */
@ExtendWith(LocalCloudExtension.class)
class HostileInputEndToEndTest {
    private static Api api;
    private static String key;

    @BeforeAll
    static void start(LocalCloud cloud) {
        api = new Api(cloud);
        key = cloud.issueKey("hostile-input", "pro").value();
    }

    private static Api.Response create(String body) {
        return api.post("/v1/images/generations", key, body);
    }

    private static Api.Response create(byte[] body) {
        return api.send(HttpRequest.newBuilder(api.url("/v1/images/generations"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void aBodyWithContentAfterItsJsonObjectIsA400() {
        for (String body : new String[] {"{\"model\":\"sdxl\",\"prompt\":\"x\"} xyz",
            "{\"model\":\"sdxl\",\"prompt\":\"x\"}{\"a\":1}"}) {
            Api.Response response = create(body);
            assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
            assertThat(response.json().path("error").path("message").asText())
                    .contains("more follows the end of the JSON value");
        }
    }

    @Test
    void malformedJsonIsExplainedWithoutTheParsersWords() {
        Api.Response response = create("{\"model\":\"sdxl\",\"prompt\":\"x\",\"n\":NaN}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText())
                .isEqualTo("request body is not valid JSON at line 1, column 37: a number must be finite; 'NaN' is not"
                        + " a JSON number");
        Api.Response deep = create("{\"model\":\"sdxl\",\"metadata\":" + "[".repeat(100) + "]".repeat(100) + "}");
        assertThat(deep.json().path("error").path("message").asText()).doesNotContain("StreamReadConstraints")
                .endsWith("objects and arrays are nested deeper than 64 levels");
    }

    @Test
    void aLoneSurrogateControlCharactersAndBidiOverridesAreRefusedNamingTheField() {
        for (String prompt : new String[] {"a \\ud800 b", "a\\u0000", "\\u001b[2J", "abc\\u202edef"}) {
            Api.Response response = create("{\"model\":\"sdxl\",\"prompt\":\"" + prompt + "\"}");
            assertThat(response.status()).as(prompt + " -> " + response).isEqualTo(400);
            assertThat(response.json().path("error").path("param").asText()).isEqualTo("prompt");
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheFieldNotReplaced() {
        Api.Response response = create("{\"model\":\"sdxl\",\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("error").path("param").asText()).isEqualTo("prompt");
        assertThat(response.json().path("error").path("message").asText()).contains("not valid Unicode");
    }

    @Test
    void aWebhookUrlWithAnImpossiblePortIsA400NamingIt() {
        for (String url : new String[] {"http://127.0.0.1:99999/x", "http://127.0.0.1:0/x"}) {
            Api.Response response = create("{\"model\":\"sdxl\",\"prompt\":\"x\",\"webhook_url\":\"" + url + "\"}");
            assertThat(response.status()).as(url + " -> " + response).isEqualTo(400);
            assertThat(response.json().path("error").path("param").asText()).isEqualTo("webhook_url");
        }
    }

    @Test
    void headersUpToApiGatewaysTenKilobytesReachTheApiAndLargerOnesAreRefusedInJson() throws Exception {
        // The request line and the client's own headers take well under 300 bytes of the 10,240.
        Api.Response large = api.send(HttpRequest.newBuilder(api.url("/v1/quota")).header("Authorization", "Bearer " + key)
                .header("X-Trace-Context", "t".repeat(9_500)).GET());
        assertThat(large.status()).as("9.5 KB of headers, which Jetty's default 8 KiB refused").isEqualTo(200);
        // Past the quota the gateway refuses before any route, as API Gateway does (its status code is the
        // local server's, which api/openapi.json does not describe: sent around the contract check).
        var tooLarge = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.url("/v1/quota"))
                .header("Authorization", "Bearer " + key).header("X-Trace-Context", "t".repeat(10_240)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isBetween(400, 499);
        assertThat(tooLarge.body()).startsWith("{\"message\":");
    }

    @Test
    void aMegabyteWithoutAKeyIsA401NotA413() {
        byte[] megabyte = new byte[1024 * 1024];
        java.util.Arrays.fill(megabyte, (byte) 'x');
        Api.Response anonymous = api.send(HttpRequest.newBuilder(api.url("/v1/images/generations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(megabyte)));
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
        assertThat(create(megabyte).status()).as("the holder of a key is told the limit").isEqualTo(413);
    }
}
