package run.creativeai.gateway.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** POSTs one signed event to a customer endpoint; every result, silence included, is an answer. */
public interface WebhookTransport {
    Response post(URI url, Map<String, String> headers, byte[] body, Duration timeout);

    /**
     * @param statusCode absent when no HTTP response came back
     * @param error      what went wrong when no response came back
     */
    record Response(java.util.Optional<Integer> statusCode, java.util.Optional<String> error, Duration took) {
    }
}
