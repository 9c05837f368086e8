package run.creativeai.gateway.adapters.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.provider.Unavailability;

/**
 * What every provider adapter needs from HTTP: one call that never throws for what the network or
 * the provider does, JSON bodies read leniently, and HTTP statuses sorted into the reasons a
 * provider cannot serve. Calls go through the JDK's {@link HttpURLConnection} (keep-alive connections
 * per host, redirects never followed), which the SDK's url-connection client has loaded already: the
 * JDK's {@code java.net.http} client added some 570 classes and a selector thread to the dispatcher's
 * cold start (BENCHMARKS.md, "Function jars and cold-start work").
 */
public final class ProviderHttp {
    private final Duration connectTimeout;

    public ProviderHttp(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public static ProviderHttp standard() {
        return new ProviderHttp(Duration.ofSeconds(2));
    }

    /** One request; {@code timeout} bounds each wait for the provider's answer (connecting has its own 2 s). */
    public record Call(String method, URI uri, Duration timeout, Map<String, String> headers, Optional<String> body) {
        public Call {
            headers = Map.copyOf(headers);
        }

        public static Call get(URI uri, Duration timeout) {
            return new Call("GET", uri, timeout, Map.of(), Optional.empty());
        }

        /** The same call with {@code name: value} added. */
        public Call header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Call(method, uri, timeout, more, body);
        }

        /** The same call as a POST (or PUT) of {@code body}, possibly empty. */
        public Call send(String verb, String json) {
            return new Call(verb, uri, timeout, headers, Optional.of(json));
        }
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

    public Answer send(Call call) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) call.uri().toURL().openConnection();
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) Math.max(1, call.timeout().toMillis()));
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(call.method());
            call.headers().forEach(connection::setRequestProperty);
            if (call.body().isPresent()) {
                byte[] body = call.body().get().getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            return new Answer.Answered(status, body(connection, status));
        } catch (SocketTimeoutException e) {
            return new Answer.NoAnswer(Unavailability.TIMEOUT, "no answer within " + call.timeout().toSeconds() + " s");
        } catch (IOException | IllegalArgumentException e) {
            if (connection != null) {
                connection.disconnect();
            }
            return new Answer.NoAnswer(Unavailability.UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The body, read whole so the connection goes back to the keep-alive cache. */
    private static String body(HttpURLConnection connection, int status) throws IOException {
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A JSON object, or empty for anything else (a provider's garbage is not an exception). */
    public static Optional<JsonNode> json(String body) {
        try {
            JsonNode node = Json.tree(body);
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
