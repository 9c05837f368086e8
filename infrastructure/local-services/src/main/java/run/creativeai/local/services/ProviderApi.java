package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** One wire protocol of the simulated providers: its routes, its bodies, its authentication. */
interface ProviderApi {
    ObjectMapper JSON = new ObjectMapper();
    /** What the protocols' webhook senders post with: no redirects followed. */
    HttpClient CALLBACK_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Whether the request carries this provider's credential in the protocol's form. */
    boolean authorized(HttpExchange exchange, SimulatedProvider provider);

    /**
     * Answers one request below the provider's base URL.
     *
     * @param path the request path below the provider's base, without a leading slash
     * @param base the provider's base URL, for the URLs the protocol hands out
     */
    void handle(HttpExchange exchange, SimulatedProvider provider, String path, URI base) throws IOException;

    static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        replyRaw(exchange, status, JSON.writeValueAsBytes(body), "application/json");
    }

    static void replyRaw(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /**
     * Posts one signed callback (a JSON body and the protocol's signature headers) and counts it as
     * sent, and as accepted on a 2xx. A receiver that is down misses it, as with the real providers
     * once their retries are spent.
     */
    static void sendCallback(SimulatedProvider provider, URI url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        try {
            HttpResponse<Void> answer = CALLBACK_CLIENT.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.discarding());
            provider.callbacksSent.incrementAndGet();
            if (answer.statusCode() >= 200 && answer.statusCode() < 300) {
                provider.callbacksAccepted.incrementAndGet();
            }
        } catch (IOException e) {
            // Missed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
