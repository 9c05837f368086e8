package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.testing.FixedResolver;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/** A status subscription's url is refused exactly where a job's webhook_url is, with the same words. */
class StatusSubscriptionRequestTest {
    private final GenerationRequestParser parser = new GenerationRequestParser(ModelCatalog.defaults(),
            WebhookUrlPolicy.publicInternet(new FixedResolver().answer("hooks.example.com", "93.184.216.34")
                    .answer("inside.example.com", "10.0.0.7")));

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/x", "https://127.0.0.1/x", "https://inside.example.com/x",
            "https://hooks.example.com:99999/x", "https://user:pw@hooks.example.com/x", "not a url", "/relative",
            "https://169.254.169.254/latest/meta-data"})
    void aUrlThatWouldBeRefusedAsWebhookUrlIsRefusedAsUrlWithTheSameMessage(String url) {
        String asWebhook = error(parser.parse(JobKind.IMAGE, bytes("{\"model\":\"sdxl\",\"prompt\":\"x\",\"webhook_url\":"
                + Json.write(url) + "}"))).message();
        ApiError asSubscription = error(StatusSubscriptionRequest.parse(bytes("{\"url\":" + Json.write(url) + "}"), parser));
        assertThat(asSubscription.status()).isEqualTo(400);
        assertThat(asSubscription.param()).contains("url");
        assertThat(asSubscription.message()).isEqualTo(asWebhook.replaceFirst("^webhook_url", "url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"url\":null}", "{\"url\":7}", "{\"url\":\"https://hooks.example.com\",\"events\":[]}",
            "[]", "{\"url\":\"https://hooks.example.com/\u0007\"}"})
    void aBodyThatIsNotJustAUrlIsRefusedNamingWhatIsWrong(String body) {
        ApiError error = error(StatusSubscriptionRequest.parse(bytes(body), parser));
        assertThat(error.status()).isEqualTo(400);
        error.param().ifPresent(param -> assertThat(error.message()).contains(param));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/status", "https://hooks.example.com:8443/a?b=c"})
    void aPublicHttpsUrlIsTaken(String url) {
        assertThat(StatusSubscriptionRequest.parse(bytes("{\"url\":" + Json.write(url) + "}"), parser))
                .isEqualTo(Parsed.valid(URI.create(url)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ApiError error(Parsed<?> parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<?>) parsed).error();
    }
}
