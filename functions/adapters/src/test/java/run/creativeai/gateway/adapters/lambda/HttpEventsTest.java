package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

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

    @Test
    void validTextIsPlainUtf8() {
        String text = "{\"prompt\":\"caf\u00e9 \ud83e\udd8a \u05e9\"}";
        assertThat(body(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }
}
