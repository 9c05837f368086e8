package run.creativeai.gateway.adapters.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.provider.Unavailability;

/**
 * What every provider adapter needs from HTTP: one call that never throws for what the network or
 * the provider does, JSON bodies read leniently, and HTTP statuses sorted into the reasons a
 * provider cannot serve. One JDK client per container, redirects never followed.
 */
public final class ProviderHttp {
    private final HttpClient http;

    public ProviderHttp(HttpClient http) {
        this.http = http;
    }

    public static ProviderHttp standard() {
        return new ProviderHttp(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** The result of one call. */
    public sealed interface Answer permits Answer.Answered, Answer.NoAnswer {
        record Answered(int status, String body) implements Answer {
            public boolean ok() {
                return status >= 200 && status < 300;
            }

            public Optional<JsonNode> json() {
                return ProviderHttp.json(body);
            }
        }

        /** @param reason TIMEOUT or UNREACHABLE */
        record NoAnswer(Unavailability reason, String detail) implements Answer {
        }
    }

    public Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer.Answered(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return new Answer.NoAnswer(Unavailability.TIMEOUT, "no answer within "
                    + request.timeout().map(Duration::toSeconds).orElse(0L) + " s");
        } catch (IOException e) {
            return new Answer.NoAnswer(Unavailability.UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.NoAnswer(Unavailability.UNREACHABLE, "interrupted");
        }
    }

    /** A JSON object, or empty for anything else (a provider's garbage is not an exception). */
    public static Optional<JsonNode> json(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Full (429, 503) or failing (anything else): never the customer's fault. */
    public static Unavailability unavailability(int status) {
        return status == 429 || status == 503 ? Unavailability.CAPACITY : Unavailability.SERVER_ERROR;
    }

    /** Content type of an output from its URL, for providers that only return URLs. */
    public static String contentTypeOf(String url) {
        String path = url.split("[?#]")[0].toLowerCase(java.util.Locale.ROOT);
        if (path.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (path.endsWith(".webm")) {
            return "video/webm";
        }
        if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (path.endsWith(".webp")) {
            return "image/webp";
        }
        return "image/png";
    }
}
