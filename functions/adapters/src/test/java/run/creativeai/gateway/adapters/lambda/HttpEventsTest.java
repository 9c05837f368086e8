package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.api.ApiRequest;

class HttpEventsTest {

    private static byte[] body(String text) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /v1/images/generations");
        event.setBody(text);
        return HttpEvents.toRequest(event, Clock.systemUTC()).body();
    }

    @Test
    void anUnpairedSurrogateInTheBodyReachesTheApiAsItsOwnBytesNotAsAQuestionMark() {
        assertThat(body("{\"prompt\":\"a\ud800b\"}")).containsExactly('{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':',
                '"', 'a', 0xed, 0xa0, 0x80, 'b', '"', '}');
        assertThat(body("\udfff")).containsExactly(0xed, 0xbf, 0xbf);
    }

    private static final String ROUTE = "POST /v1/providers/{provider}/jobs/{job}/attempts/{attempt}/callback";

    private static ApiRequest onFunctionUrl(String method, String rawPath) {
        return HttpEvents.toRequest(Priming.functionUrl(method, rawPath, Map.of("webhook-id", "msg_1"), "{}"), ROUTE,
                Clock.systemUTC());
    }

    @Test
    void aFunctionUrlRequestOnTheRoutesMethodAndPathIsDeliveredAsTheRouteWithItsPathParameters() {
        ApiRequest request = onFunctionUrl("POST", "/v1/providers/seedream/jobs/gen_1/attempts/2/callback");
        assertThat(request.routeKey()).isEqualTo(ROUTE);
        assertThat(request.pathParameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("provider", "seedream", "job", "gen_1", "attempt", "2"));
        assertThat(request.header("webhook-id")).contains("msg_1");
        assertThat(onFunctionUrl("POST", "/v1/providers/a%20b/jobs/gen_1/attempts/2/callback").pathParameter("provider"))
                .as("percent-decoded, as the HTTP API decodes them").contains("a b");
    }

    @Test
    void aFunctionUrlRequestOffTheRouteKeepsItsOwnRouteKeyAndNoPathParameters() {
        for (String[] off : new String[][] {{"GET", "/v1/providers/seedream/jobs/gen_1/attempts/2/callback"},
                {"POST", "/v1/providers/seedream/jobs/gen_1/attempts/2"},
                {"POST", "/v1/providers/seedream/jobs/gen_1/attempts/2/callback/more"},
                {"POST", "/v1/providers//jobs/gen_1/attempts/2/callback"}, {"POST", "/"}}) {
            ApiRequest request = onFunctionUrl(off[0], off[1]);
            assertThat(request.routeKey()).as(off[0] + " " + off[1]).isEqualTo("$default");
            assertThat(request.pathParameters()).as(off[0] + " " + off[1]).isEmpty();
        }
    }

    @Test
    void validTextIsPlainUtf8() {
        String text = "{\"prompt\":\"caf\u00e9 \ud83e\udd8a \u05e9\"}";
        assertThat(body(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }
}
