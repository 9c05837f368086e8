package run.creativeai.gateway.adapters.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.webhook.WebhookTransport;

/** POSTs webhook events with the JDK HTTP client; redirects are never followed. */
public final class HttpWebhookTransport implements WebhookTransport {
    private final HttpClient http;
    private final Clock clock;

    public HttpWebhookTransport(Clock clock) {
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        Instant start = clock.instant();
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Response(Optional.of(response.statusCode()), Optional.empty(), Duration.between(start, clock.instant()));
        } catch (HttpTimeoutException e) {
            return new Response(Optional.empty(), Optional.of("timed out after " + timeout.toSeconds() + " s"),
                    Duration.between(start, clock.instant()));
        } catch (IOException e) {
            return new Response(Optional.empty(), Optional.of("connection failed: " + e.getClass().getSimpleName()),
                    Duration.between(start, clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(Optional.empty(), Optional.of("interrupted"), Duration.between(start, clock.instant()));
        }
    }
}
