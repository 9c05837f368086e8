package run.creativeai.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real HTTP server on loopback that answers the client with a script, in order, and records what
 * it was sent: the client's retries, keys and headers are observed on the wire, not through a mock.
 */
final class ScriptedApi implements AutoCloseable {
    record Answer(int status, Map<String, String> headers, String body) {
    }

    record Received(String method, String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();

    ScriptedApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                byte[] body = exchange.getRequestBody().readAllBytes();
                Answer answer;
                synchronized (this) {
                    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
                    answer = script.isEmpty() ? new Answer(500, Map.of(), "{\"error\":{\"type\":\"api_error\",\"code\":\"unscripted\",\"message\":\"no answer scripted\"}}") : script.poll();
                }
                answer.headers().forEach(exchange.getResponseHeaders()::set);
                if (!answer.headers().containsKey("Content-Type")) {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                }
                byte[] bytes = answer.body().getBytes(StandardCharsets.ISO_8859_1);
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized ScriptedApi then(int status, String body, String... headerPairs) {
        Map<String, String> headers = new TreeMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        script.add(new Answer(status, headers, body));
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String job(String id, String status) {
        return "{\"id\":\"" + id + "\",\"object\":\"generation\",\"kind\":\"image\",\"status\":\"" + status
                + "\",\"model\":\"sdxl\",\"model_actual\":null,\"failover_used\":false,\"outputs\":[],\"error\":null,"
                + "\"cost\":{\"currency\":\"credits\",\"reserved\":4,\"charged\":null,\"refunded\":null},"
                + "\"created_at\":\"2026-12-05T10:00:00Z\",\"started_at\":null,\"finished_at\":null}";
    }

    static String error(String type, String code, String message, String param) {
        return "{\"error\":{\"type\":\"" + type + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"param\":"
                + (param == null ? "null" : "\"" + param + "\"") + "}}";
    }
}
