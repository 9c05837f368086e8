package run.creativeai.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.local.services.LoopbackHttpServers;
import run.creativeai.template.SamFunction;

/**
 * An API Gateway HTTP API on localhost: matches each request against the template's {@code HttpApi}
 * routes as API Gateway does (most specific route first, {@code {param}} and greedy
 * {@code {proxy+}} segments), hands the function the payload format 2.0 event (lower-case headers,
 * cookies apart, comma-joined repeats, {@code rawPath}, {@code rawQueryString},
 * {@code requestContext.http}, base64 for bodies that are not text) and turns the function's result
 * into the HTTP response. Extra handlers can be mounted under their own path prefixes.
 *
 * <p>It stops as a load balancer drains a target: once told to stop it answers new API requests 503
 * and lets those under way finish (each within its function's timeout) before it closes the port.
 */
public final class HttpGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService threads;
    private final Requests requests = new Requests();
    private volatile List<Route> routes = List.of();
    private final String accountId;
    private final SecureRandom random = new SecureRandom();

    /** A template route and the function behind it. */
    public record Route(SamFunction.HttpRoute route, FunctionHost function) {
        String[] segments() {
            return route.path().replaceFirst("^/", "").split("/", -1);
        }

        long literalSegments() {
            return java.util.Arrays.stream(segments()).filter(s -> !s.startsWith("{")).count();
        }

        boolean greedy() {
            return route.path().endsWith("+}");
        }
    }

    /** Binds the port, so the API's URL is known before the functions that need it are configured. */
    public HttpGateway(int port, Map<String, HttpHandler> mounts, String accountId) {
        this.accountId = accountId;
        try {
            this.server = LoopbackHttpServers.create(port, 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); is another instance using that port? Start with --port <other>", e);
        }
        this.threads = Executors.newFixedThreadPool(64, r -> {
            Thread thread = new Thread(r, "api-gateway");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle).getFilters().add(requests);
        // The mounts take no work in: they answer until the port closes, so that a webhook the last
        // invocations deliver to the local receiver still arrives.
        mounts.forEach(server::createContext);
    }

    /** Starts serving {@code routes}, most specific first, as API Gateway matches them. */
    public void start(List<Route> routes) {
        List<Route> ordered = new ArrayList<>(routes);
        ordered.sort(Comparator.comparing(Route::greedy)
                .thenComparing(Comparator.comparingLong(Route::literalSegments).reversed())
                .thenComparing(r -> r.route().method().equalsIgnoreCase("ANY")));
        this.routes = List.copyOf(ordered);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
            Optional<Match> match = match(method, path);
            String requestId = requestId();
            if (match.isEmpty()) {
                send(exchange, 404, Map.of("Content-Type", "application/json", "apigw-requestid", requestId),
                        "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String event = JSON.writeValueAsString(event(exchange, method, rawPath, path, match.get(), body, requestId));
            String result;
            try {
                result = match.get().route.function().invoke(event);
            } catch (FunctionHost.InvocationFailure failure) {
                LOG.error("{} failed: {}", match.get().route.route().routeKey(), failure.getMessage(), failure.getCause());
                send(exchange, 500, Map.of("Content-Type", "application/json", "apigw-requestid", requestId),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            respond(exchange, result, requestId);
        }
    }

    private record Match(Route route, Map<String, String> pathParameters) {
    }

    private Optional<Match> match(String method, String path) {
        String[] actual = path.replaceFirst("^/", "").split("/", -1);
        for (Route route : routes) {
            String routeMethod = route.route().method().toUpperCase(Locale.ROOT);
            if (!routeMethod.equals("ANY") && !routeMethod.equals(method)) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            if (matches(route.segments(), actual, parameters)) {
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String[] template, String[] actual, Map<String, String> parameters) {
        for (int i = 0; i < template.length; i++) {
            String segment = template[i];
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i >= actual.length) {
                    return false;
                }
                parameters.put(segment.substring(1, segment.length() - 2),
                        String.join("/", java.util.Arrays.copyOfRange(actual, i, actual.length)));
                return true;
            }
            if (i >= actual.length) {
                return false;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return false;
                }
                parameters.put(segment.substring(1, segment.length() - 1), actual[i]);
            } else if (!segment.equals(actual[i])) {
                return false;
            }
        }
        return template.length == actual.length;
    }

    private ObjectNode event(HttpExchange exchange, String method, String rawPath, String path, Match match, byte[] body,
            String requestId) {
        Instant now = Instant.now();
        String routeKey = match.route.route().routeKey();
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", routeKey)
                .put("rawPath", rawPath)
                .put("rawQueryString", Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));

        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        List<String> cookies = new ArrayList<>();
        Optional.ofNullable(headers.remove("cookie")).ifPresent(values -> values.forEach(v -> {
            for (String cookie : v.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.trim());
                }
            }
        }));
        if (!cookies.isEmpty()) {
            ArrayNode array = event.putArray("cookies");
            cookies.forEach(array::add);
        }
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.putIfAbsent("x-forwarded-for", List.of(sourceIp));
        headers.put("x-forwarded-port", List.of(Integer.toString(port())));
        headers.put("x-forwarded-proto", List.of("http"));
        headers.put("x-amzn-trace-id", List.of("Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + hex(12)));
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach((name, values) -> headerNode.put(name, String.join(",", values)));

        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach((name, values) -> queryNode.put(name, String.join(",", values)));
        }
        if (!match.pathParameters.isEmpty()) {
            ObjectNode params = event.putObject("pathParameters");
            match.pathParameters.forEach(params::put);
        }

        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("127.0.0.1:" + port());
        ObjectNode context = event.putObject("requestContext")
                .put("accountId", accountId)
                .put("apiId", "local")
                .put("domainName", host)
                .put("domainPrefix", host.split("[.:]")[0])
                .put("requestId", requestId)
                .put("routeKey", routeKey)
                .put("stage", "$default")
                .put("time", REQUEST_TIME.format(now))
                .put("timeEpoch", now.toEpochMilli());
        context.putObject("http")
                .put("method", method)
                .put("path", path)
                .put("protocol", exchange.getProtocol())
                .put("sourceIp", sourceIp)
                .put("userAgent", Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent")).orElse(""));

        if (body.length > 0) {
            // A "text" body that is not UTF-8 travels base64 too: decoding it would replace bytes silently.
            boolean text = isText(exchange.getRequestHeaders().getFirst("Content-Type")) && isUtf8(body);
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** API Gateway passes text bodies as they are and base64-encodes the rest. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.endsWith("/json") || type.endsWith("+json") || type.endsWith("/xml")
                || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    private void respond(HttpExchange exchange, String result, String requestId) throws IOException {
        JsonNode response = JSON.readTree(result);
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("apigw-requestid", requestId);
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            // A result without statusCode is the body of a 200, as API Gateway treats it.
            headers.put("Content-Type", "application/json");
            send(exchange, 200, headers, result.getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        response.path("cookies").forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c.asText()));
        headers.putIfAbsent("Content-Type", "application/json");
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, response.path("statusCode").asInt(200), headers, bytes);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private String requestId() {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes) + "=";
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Answers every new API request 503 from now on; the requests under way carry on. */
    public void stopAccepting() {
        requests.close();
    }

    /**
     * Stops accepting, waits for the requests under way (at most the longest timeout of the routes'
     * functions, since each invocation ends by then), then closes the port.
     */
    @Override
    public void close() {
        stopAccepting();
        Duration bound = routes.stream().map(r -> r.function().longestCall()).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        try {
            if (!requests.awaitNone(bound)) {
                LOG.warn("requests still under way after {} s; the API stops without them", bound.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        threads.shutdownNow();
    }

    /** Counts the API requests under way, and refuses new ones once closed. */
    private static final class Requests extends Filter {
        private int underWay;
        private boolean closed;

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            if (!enter()) {
                try (exchange) {
                    exchange.getResponseHeaders().set("Connection", "close");
                    send(exchange, 503, Map.of("Content-Type", "application/json"),
                            "{\"message\":\"Service Unavailable\"}".getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            try {
                chain.doFilter(exchange);
            } finally {
                exit();
            }
        }

        @Override
        public String description() {
            return "requests under way, refused once the gateway stops";
        }

        private synchronized boolean enter() {
            if (closed) {
                return false;
            }
            underWay++;
            return true;
        }

        private synchronized void exit() {
            if (--underWay == 0) {
                notifyAll();
            }
        }

        synchronized void close() {
            closed = true;
        }

        /** True once no request is under way; false if some still are when {@code bound} has passed. */
        synchronized boolean awaitNone(Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            while (underWay > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
