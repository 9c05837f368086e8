package run.creativeai.gateway.job;

import java.time.Instant;
import java.util.Optional;

/**
 * One try at delivering a job's terminal event to the customer's endpoint.
 *
 * @param statusCode the endpoint's HTTP status, absent when no response came (timeout, refused connection)
 * @param error      what went wrong, absent on a 2xx
 */
public record WebhookAttempt(
        int number, String eventId, Instant at, Optional<Integer> statusCode, Optional<String> error, long durationMillis) {

    public boolean delivered() {
        return statusCode.isPresent() && statusCode.get() >= 200 && statusCode.get() < 300;
    }
}
