package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;

/** One wire protocol of the simulated providers: its routes, its bodies, its authentication. */
interface ProviderApi {
    ObjectMapper JSON = new ObjectMapper();

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
}
