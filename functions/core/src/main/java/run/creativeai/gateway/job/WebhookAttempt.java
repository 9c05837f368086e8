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

    /** Whether this very attempt (same event, number and time) is among {@code attempts}: recorded already. */
    public boolean in(java.util.List<WebhookAttempt> attempts) {
        return attempts.stream().anyMatch(a -> a.eventId().equals(eventId) && a.number() == number && a.at().equals(at));
    }

    public boolean delivered() {
        return statusCode.isPresent() && statusCode.get() >= 200 && statusCode.get() < 300;
    }
}
