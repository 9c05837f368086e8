package run.creativeai.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
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
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.template.SamFunction;

/**
 * An API Gateway HTTP API on localhost: matches each request against the template's {@code HttpApi}
 * routes as API Gateway does (most specific route first, {@code {param}} and greedy
 * {@code {proxy+}} segments), hands the function the payload format 2.0 event (lower-case headers,
 * cookies apart, comma-joined repeats, {@code rawPath}, {@code rawQueryString},
 * {@code requestContext.http}, base64 for bodies that are not text) and turns the function's result
 * into the HTTP response as API Gateway writes it: the function's header names byte for byte, each of
 * its {@code cookies} as a {@code Set-Cookie} header, base64 bodies decoded, standard reason phrases.
 * Jetty serves it, since the JDK's {@code HttpServer} re-cases header names and sends no reason phrase
 * for statuses it does not know (429 among them). Extra handlers can be mounted under their own path
 * prefixes. {@link #startFunctionUrl} serves one function as its Lambda function URL does instead:
 * every method and path invokes it, with the route key {@code $default} and no path parameters.
 *
 * <p>It stops as a load balancer drains a target: once told to stop it answers new API requests 503
 * and lets those under way finish (each within its function's timeout) before it closes the port.
 */
public final class HttpGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** Hop-by-hop and framing headers: the gateway frames the response itself, as API Gateway does. */
    private static final java.util.Set<String> FRAMING = java.util.Set.of("content-length", "transfer-encoding",
            "connection");

    /** API Gateway's quota for an HTTP API request's request line and header values together. */
    static final int API_GATEWAY_HEADER_BYTES = 10_240;

    private final Server server;
    private final ServerConnector connector;
    private final List<Map.Entry<String, HttpHandler>> mounts;
    private final Requests requests = new Requests();
    private volatile List<Route> routes = List.of();
    /** Serving a function URL: one function takes every request, as {@code $default}. */
    private volatile boolean functionUrl;
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
        // Longest prefix first, as the JDK server chose among its contexts.
        this.mounts = mounts.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, HttpHandler> m) -> m.getKey().length()).reversed())
                .map(m -> Map.entry(m.getKey(), m.getValue())).toList();
        QueuedThreadPool threads = new QueuedThreadPool(128, 8);
        threads.setName("api-gateway");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // API Gateway's HTTP API takes a request line and headers of up to 10,240 bytes together (Jetty's
        // default is 8 KiB): a request the deployed API takes is not refused here.
        http.setRequestHeaderSize(API_GATEWAY_HEADER_BYTES);
        // Every path, encoded slashes and dot segments included, reaches the route matching as sent:
        // the routes decide what matches, as they did before Jetty served them.
        http.setUriCompliance(UriCompliance.UNSAFE);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(port);
        connector.setAcceptQueueSize(256);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response);
                callback.succeeded();
                return true;
            }
        });
        server.setErrorHandler((request, response, callback) -> {
            // What Jetty refuses before any route (a malformed request line, headers too large)
            // gets API Gateway's JSON error shape rather than Jetty's HTML page.
            int status = response.getStatus();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, "{\"message\":\"" + HttpStatus.getMessage(status) + "\"}", callback);
            return true;
        });
        try {
            connector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); is another instance using that port? Start with --port <other>", e);
        }
    }

    /** Starts serving {@code routes}, most specific first, as API Gateway matches them. */
    public void start(List<Route> routes) {
        List<Route> ordered = new ArrayList<>(routes);
        ordered.sort(Comparator.comparing(Route::greedy)
                .thenComparing(Comparator.comparingLong(Route::literalSegments).reversed())
                .thenComparing(r -> r.route().method().equalsIgnoreCase("ANY")));
        this.routes = List.copyOf(ordered);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the local API gateway did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts serving {@code function} as its function URL ({@code FunctionUrlConfig}): whatever the
     * method and path, the function is invoked with route key {@code $default} and decides itself
     * what it answers.
     */
    public void startFunctionUrl(FunctionHost function) {
        this.functionUrl = true;
        start(List.of(new Route(new SamFunction.HttpRoute("FunctionUrl", "ANY", "/{proxy+}", Map.of()), function)));
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Where it listens: {@code http://127.0.0.1:<port>}, without a path. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    private void serve(Request request, Response response) throws IOException {
        String rawPath = request.getHttpURI().getPath();
        for (Map.Entry<String, HttpHandler> mount : mounts) {
            // The mounts take no work in: they answer until the port closes, so that a webhook the last
            // invocations deliver to the local receiver still arrives.
            if (rawPath.startsWith(mount.getKey())) {
                MountedExchange.Answer answer = MountedExchange.handle(mount.getValue(), mount.getKey(), request);
                List<Map.Entry<String, String>> headers = answer.headers().stream()
                        .filter(h -> !FRAMING.contains(h.getKey().toLowerCase(Locale.ROOT))).toList();
                send(response, answer.status(), headers, answer.body());
                return;
            }
        }
        if (!requests.enter()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            send(response, 503, List.of(Map.entry("Content-Type", "application/json")),
                    "{\"message\":\"Service Unavailable\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            invoke(request, response, rawPath);
        } finally {
            requests.exit();
        }
    }

    private void invoke(Request request, Response response, String rawPath) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        Optional<Match> match = match(method, path);
        String requestId = requestId();
        if (match.isEmpty()) {
            send(response, 404, List.of(Map.entry("Content-Type", "application/json"), Map.entry("apigw-requestid", requestId)),
                    "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = Request.asInputStream(request).readAllBytes();
        String event = JSON.writeValueAsString(event(request, method, rawPath, path, match.get(), body, requestId));
        String result;
        try {
            result = match.get().route.function().invoke(event);
        } catch (FunctionHost.InvocationFailure failure) {
            LOG.error("{} failed: {}", functionUrl ? match.get().route.function().logicalId() + "'s function URL"
                    : match.get().route.route().routeKey(), failure.getMessage(), failure.getCause());
            // A function URL answers a function's failure 502, the HTTP API 500.
            send(response, functionUrl ? 502 : 500, List.of(Map.entry("Content-Type", "application/json"), Map.entry("apigw-requestid", requestId)),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        respond(response, result, requestId);
    }

    private record Match(Route route, Map<String, String> pathParameters) {
    }

    private Optional<Match> match(String method, String path) {
        if (functionUrl) {
            return Optional.of(new Match(routes.get(0), Map.of()));
        }
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

    private ObjectNode event(Request request, String method, String rawPath, String path, Match match, byte[] body,
            String requestId) {
        Instant now = Instant.now();
        String routeKey = functionUrl ? "$default" : match.route.route().routeKey();
        ObjectNode event = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", routeKey)
                .put("rawPath", rawPath)
                .put("rawQueryString", Optional.ofNullable(request.getHttpURI().getQuery()).orElse(""));

        // Header names lower-cased, and a header sent more than once joined with commas, as API Gateway does.
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue());
        }
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
        String sourceIp = Request.getRemoteAddr(request);
        headers.putIfAbsent("x-forwarded-for", List.of(sourceIp));
        headers.put("x-forwarded-port", List.of(Integer.toString(port())));
        headers.put("x-forwarded-proto", List.of("http"));
        headers.put("x-amzn-trace-id", List.of("Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + hex(12)));
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach((name, values) -> headerNode.put(name, String.join(",", values)));

        Map<String, List<String>> query = query(request.getHttpURI().getQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach((name, values) -> queryNode.put(name, String.join(",", values)));
        }
        if (!match.pathParameters.isEmpty()) {
            ObjectNode params = event.putObject("pathParameters");
            match.pathParameters.forEach(params::put);
        }

        String host = Optional.ofNullable(request.getHeaders().get(HttpHeader.HOST)).orElse("127.0.0.1:" + port());
        ObjectNode context = event.putObject("requestContext")
                // A function URL without auth names no caller's account.
                .put("accountId", functionUrl ? "anonymous" : accountId)
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
                .put("protocol", request.getConnectionMetaData().getProtocol())
                .put("sourceIp", sourceIp)
                .put("userAgent", Optional.ofNullable(request.getHeaders().get(HttpHeader.USER_AGENT)).orElse(""));

        if (body.length > 0) {
            // A "text" body that is not UTF-8 travels base64 too: decoding it would replace bytes silently.
            boolean text = isText(request.getHeaders().get(HttpHeader.CONTENT_TYPE)) && isUtf8(body);
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

    /**
     * Writes the function's result as API Gateway maps a payload 2.0 response: its headers with their
     * names as given (a comma-joined value stays one header), each entry of {@code cookies} as a
     * {@code Set-Cookie} header, a base64 body decoded, and a result without {@code statusCode} as the
     * JSON body of a 200.
     */
    private void respond(Response out, String result, String requestId) throws IOException {
        JsonNode response = JSON.readTree(result);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            headers.add(Map.entry("Content-Type", "application/json"));
            headers.add(Map.entry("apigw-requestid", requestId));
            send(out, 200, headers, result.getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.path("headers").fields().forEachRemaining(h -> {
            if (!FRAMING.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(Map.entry(h.getKey(), h.getValue().asText()));
            }
        });
        if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Content-Type"))) {
            headers.add(Map.entry("Content-Type", "application/json"));
        }
        response.path("cookies").forEach(c -> headers.add(Map.entry("Set-Cookie", c.asText())));
        headers.add(Map.entry("apigw-requestid", requestId));
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        send(out, response.path("statusCode").asInt(200), headers, bytes);
    }

    private static void send(Response response, int status, List<Map.Entry<String, String>> headers, byte[] body)
            throws IOException {
        response.setStatus(status);
        for (Map.Entry<String, String> header : headers) {
            // No HttpHeader given: Jetty then writes the name exactly as it is here, never its own spelling.
            response.getHeaders().add(new HttpField(null, header.getKey(), header.getValue()));
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        Content.Sink.write(response, true, ByteBuffer.wrap(body));
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
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the local API gateway did not stop cleanly: {}", e.getMessage());
        }
    }

    /** Counts the API requests under way, and refuses new ones once closed. */
    private static final class Requests {
        private int underWay;
        private boolean closed;

        synchronized boolean enter() {
            if (closed) {
                return false;
            }
            underWay++;
            return true;
        }

        synchronized void exit() {
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
