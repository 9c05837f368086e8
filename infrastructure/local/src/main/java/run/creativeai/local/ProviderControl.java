package run.creativeai.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;
import run.creativeai.local.services.SimulatedProviders;

/**
 * {@code GET /_local/providers} and {@code POST /_local/providers/{name}}: look at and change the
 * simulated providers while the local cloud runs (mode, latency, capacity, failure rate). Local
 * only; nothing like it exists in template.yaml.
 */
final class ProviderControl implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final SimulatedProviders providers;

    ProviderControl(SimulatedProviders providers) {
        this.providers = providers;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rest = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length())
                    .replaceAll("^/+|/+$", "");
            String method = exchange.getRequestMethod();
            if (rest.isEmpty() && method.equals("GET")) {
                reply(exchange, 200, providers.describeAll());
                return;
            }
            if (rest.isEmpty() || rest.contains("/")) {
                reply(exchange, 404, error("no such provider control route"));
                return;
            }
            if (!method.equals("POST") && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                reply(exchange, 405, error("use GET or POST"));
                return;
            }
            JsonNode settings = JSON.createObjectNode();
            if (method.equals("POST")) {
                try {
                    settings = JSON.readTree(exchange.getRequestBody().readAllBytes());
                } catch (IOException e) {
                    reply(exchange, 400, error("body must be a JSON object"));
                    return;
                }
                if (settings == null || !settings.isObject()) {
                    reply(exchange, 400, error("body must be a JSON object"));
                    return;
                }
            }
            try {
                Optional<ObjectNode> described = providers.configure(rest, settings);
                if (described.isEmpty()) {
                    reply(exchange, 404, error("no provider " + rest + "; providers are " + providers.names()));
                } else {
                    reply(exchange, 200, described.get());
                }
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, error(e.getMessage()));
            }
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message);
        return body;
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
