package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * GPU providers on loopback that speak fal.ai's queue API, one per provider name, under
 * {@code <base>/<name>/}: {@code POST /{owner}/{app}[/{path}]} submits, {@code GET
 * /{owner}/{app}/requests/{id}/status} reports {@code IN_QUEUE}, {@code IN_PROGRESS} or
 * {@code COMPLETED} (202, 202, 200), {@code GET /{owner}/{app}/requests/{id}} returns the result and
 * {@code PUT .../requests/{id}/cancel} cancels. Latency, capacity, failure rate and outages are set
 * per provider at run time. A prompt containing {@code [reject]} is refused with a 422, as a
 * provider refuses input that breaks its content policy.
 */
public final class SimulatedProviders implements HttpHandler {
    /** Seed 000: 1.2 s for a 1024x1024 image, about 45 s for a 5 s video clip. */
    public static final Duration DEFAULT_IMAGE_LATENCY = Duration.ofMillis(1200);
    public static final Duration DEFAULT_VIDEO_LATENCY = Duration.ofSeconds(45);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private final Clock clock;
    private final RandomGenerator random;
    private final String mountPath;
    private volatile URI base = URI.create("http://127.0.0.1/");
    private final Map<String, Provider> providers = new ConcurrentHashMap<>();

    /** @param mountPath the context path this handler is mounted at, e.g. {@code /providers} */
    public SimulatedProviders(Clock clock, RandomGenerator random, String mountPath) {
        this.clock = clock;
        this.random = random;
        this.mountPath = mountPath;
    }

    void baseUrl(URI serverBase) {
        this.base = serverBase.resolve(mountPath + "/");
    }

    /** The base URL a provider's adapter is configured with. */
    public URI url(String provider) {
        return base.resolve(provider);
    }

    /** Adds a provider that accepts {@code Authorization: Key <apiKey>}. */
    public void register(String provider, String apiKey) {
        providers.put(provider, new Provider(provider, apiKey));
    }

    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(providers.keySet());
    }

    /**
     * Changes a provider's behaviour; fields left out keep their value.
     *
     * @return the provider's description after the change, or empty if there is no such provider
     * @throws IllegalArgumentException naming the field when a value is invalid
     */
    public Optional<ObjectNode> configure(String provider, JsonNode settings) {
        Provider p = providers.get(provider);
        if (p == null) {
            return Optional.empty();
        }
        synchronized (p) {
            ProviderMode mode = p.mode;
            if (settings.has("mode")) {
                try {
                    mode = ProviderMode.fromWire(settings.path("mode").asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mode must be one of up, down, slow, flaky, garbage");
                }
            }
            Long latency = p.latencyMillis;
            if (settings.has("latency_ms")) {
                JsonNode v = settings.get("latency_ms");
                if (!v.isNull() && (!v.canConvertToLong() || v.asLong() < 0)) {
                    throw new IllegalArgumentException("latency_ms must be a non-negative integer or null");
                }
                latency = v.isNull() ? null : v.asLong();
            }
            int capacity = p.capacity;
            if (settings.has("capacity")) {
                JsonNode v = settings.get("capacity");
                if (!v.canConvertToInt() || v.asInt() < 1) {
                    throw new IllegalArgumentException("capacity must be a positive integer");
                }
                capacity = v.asInt();
            }
            double failureRate = p.failureRate;
            if (settings.has("failure_rate")) {
                JsonNode v = settings.get("failure_rate");
                if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
                    throw new IllegalArgumentException("failure_rate must be a number from 0 to 1");
                }
                failureRate = v.asDouble();
            }
            p.mode = mode;
            p.latencyMillis = latency;
            p.capacity = capacity;
            p.failureRate = failureRate;
        }
        return Optional.of(describe(p));
    }

    /** Every provider's settings and counters. */
    public ObjectNode describeAll() {
        ObjectNode all = JSON.createObjectNode();
        providers.keySet().stream().sorted().forEach(name -> all.set(name, describe(providers.get(name))));
        return all;
    }

    /** Requests a provider accepted so far. */
    public long submissions(String provider) {
        return providers.get(provider).submitted.get();
    }

    private ObjectNode describe(Provider p) {
        synchronized (p) {
            ObjectNode node = JSON.createObjectNode()
                    .put("mode", p.mode.wireName())
                    .put("capacity", p.capacity)
                    .put("failure_rate", p.failureRate)
                    .put("in_progress", p.inProgress(clock.instant()))
                    .put("submitted", p.submitted.get())
                    .put("refused_capacity", p.refusedCapacity.get())
                    .put("failed", p.failed.get())
                    .put("canceled", p.canceled.get())
                    .put("url", url(p.name).toString());
            if (p.latencyMillis == null) {
                node.putNull("latency_ms");
            } else {
                node.put("latency_ms", p.latencyMillis);
            }
            return node;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(mountPath.length());
            String[] parts = path.replaceFirst("^/", "").split("/");
            Provider provider = parts.length > 0 ? providers.get(parts[0]) : null;
            if (provider == null) {
                reply(exchange, 404, JSON.createObjectNode().put("detail", "no such provider"));
                return;
            }
            String rest = String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length));
            if (exchange.getRequestMethod().equals("GET") && rest.startsWith("files/")) {
                file(exchange, rest);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Key " + provider.apiKey)) {
                reply(exchange, 401, JSON.createObjectNode().put("detail", "Invalid API key"));
                return;
            }
            ProviderMode mode;
            long latency;
            synchronized (provider) {
                mode = provider.mode;
                latency = provider.latencyMillis == null ? 0 : provider.latencyMillis;
            }
            switch (mode) {
                case DOWN -> {
                    reply(exchange, 503, JSON.createObjectNode().put("detail", "Service temporarily unavailable"));
                    return;
                }
                case GARBAGE -> {
                    replyRaw(exchange, 200, "<html>upstream proxy error</html>".getBytes(StandardCharsets.UTF_8), "text/html");
                    return;
                }
                case SLOW -> hang(latency);
                default -> {
                }
            }
            route(exchange, provider, rest);
        }
    }

    private void route(HttpExchange exchange, Provider provider, String rest) throws IOException {
        String method = exchange.getRequestMethod();
        int requests = rest.indexOf("/requests/");
        if (method.equals("POST") && requests < 0) {
            submit(exchange, provider, rest);
            return;
        }
        if (requests < 0) {
            reply(exchange, 405, JSON.createObjectNode().put("detail", "Method not allowed"));
            return;
        }
        String[] tail = rest.substring(requests + "/requests/".length()).split("/");
        SimJob job = provider.jobs.get(tail[0]);
        if (job == null) {
            reply(exchange, 404, JSON.createObjectNode().put("detail", "Request not found"));
            return;
        }
        String app = rest.substring(0, requests);
        if (method.equals("GET") && tail.length == 2 && tail[1].equals("status")) {
            status(exchange, provider, app, job);
        } else if (method.equals("GET") && tail.length == 1) {
            result(exchange, provider, job);
        } else if (method.equals("PUT") && tail.length == 2 && tail[1].equals("cancel")) {
            cancel(exchange, provider, job);
        } else {
            reply(exchange, 405, JSON.createObjectNode().put("detail", "Method not allowed"));
        }
    }

    private void submit(HttpExchange exchange, Provider provider, String model) throws IOException {
        JsonNode input;
        try {
            input = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            reply(exchange, 422, detail("body", "invalid JSON"));
            return;
        }
        String prompt = input.path("prompt").asText("");
        if (prompt.isBlank()) {
            reply(exchange, 422, detail("prompt", "field required"));
            return;
        }
        if (prompt.contains("[reject]")) {
            reply(exchange, 422, detail("prompt", "prompt violates the content policy"));
            return;
        }
        Instant now = clock.instant();
        boolean video = input.has("duration");
        SimJob job;
        synchronized (provider) {
            if (provider.mode == ProviderMode.FLAKY && random.nextDouble() < provider.failureRate) {
                provider.failed.incrementAndGet();
                reply(exchange, 500, JSON.createObjectNode().put("detail", "Internal server error"));
                return;
            }
            if (provider.inProgress(now) >= provider.capacity) {
                provider.refusedCapacity.incrementAndGet();
                reply(exchange, 429, JSON.createObjectNode().put("detail", "Too many concurrent requests"));
                return;
            }
            long latency = provider.mode == ProviderMode.UP || provider.mode == ProviderMode.FLAKY
                    ? Optional.ofNullable(provider.latencyMillis).orElse(
                            (video ? DEFAULT_VIDEO_LATENCY : DEFAULT_IMAGE_LATENCY).toMillis())
                    : 0;
            job = new SimJob(UUID.randomUUID().toString(), model, video, Math.max(1, input.path("num_images").asInt(1)),
                    now, now.plusMillis(latency));
            provider.jobs.put(job.id, job);
            provider.submitted.incrementAndGet();
        }
        String app = appPath(model);
        String requests = url(provider.name) + "/" + app + "/requests/" + job.id;
        reply(exchange, 200, JSON.createObjectNode()
                .put("request_id", job.id)
                .put("response_url", requests)
                .put("status_url", requests + "/status")
                .put("cancel_url", requests + "/cancel")
                .put("queue_position", 0));
    }

    private void status(HttpExchange exchange, Provider provider, String app, SimJob job) throws IOException {
        Instant now = clock.instant();
        String requests = url(provider.name) + "/" + app + "/requests/" + job.id;
        ObjectNode body = JSON.createObjectNode().put("request_id", job.id).put("response_url", requests);
        if (job.done(now)) {
            body.put("status", "COMPLETED");
            if (settle(provider, job)) {
                body.put("error", "Internal server error").put("error_type", "runner_server_error");
            }
            reply(exchange, 200, body);
        } else {
            boolean queued = Duration.between(job.submitted, now).toMillis() * 10 < Duration.between(job.submitted, job.completes).toMillis();
            body.put("status", queued ? "IN_QUEUE" : "IN_PROGRESS");
            if (queued) {
                body.put("queue_position", 0);
            }
            reply(exchange, 202, body);
        }
    }

    private void result(HttpExchange exchange, Provider provider, SimJob job) throws IOException {
        Instant now = clock.instant();
        if (!job.done(now)) {
            reply(exchange, 400, JSON.createObjectNode().put("detail", "Request is still in progress"));
            return;
        }
        if (job.canceled) {
            reply(exchange, 400, JSON.createObjectNode().put("detail", "Request was cancelled"));
            return;
        }
        if (settle(provider, job)) {
            reply(exchange, 500, JSON.createObjectNode().put("detail", "Internal server error"));
            return;
        }
        String files = url(provider.name) + "/files/" + job.id + "/";
        ObjectNode body = JSON.createObjectNode();
        if (job.video) {
            body.putObject("video").put("url", files + "0.mp4").put("content_type", "video/mp4");
        } else {
            var images = body.putArray("images");
            for (int i = 0; i < job.images; i++) {
                images.addObject().put("url", files + i + ".png").put("content_type", "image/png")
                        .put("width", 1024).put("height", 1024);
            }
            body.put("seed", random.nextInt(1_000_000));
        }
        reply(exchange, 200, body);
    }

    /**
     * Whether a finished job failed at the provider, decided once, when it is first looked at after
     * it finished: a provider that turned flaky while the job ran fails it at its current rate.
     */
    private boolean settle(Provider provider, SimJob job) {
        synchronized (provider) {
            if (job.failed == null) {
                job.failed = !job.canceled && provider.mode == ProviderMode.FLAKY && random.nextDouble() < provider.failureRate;
                if (job.failed) {
                    provider.failed.incrementAndGet();
                }
            }
            return job.failed;
        }
    }

    private void cancel(HttpExchange exchange, Provider provider, SimJob job) throws IOException {
        synchronized (provider) {
            if (job.done(clock.instant())) {
                reply(exchange, 400, JSON.createObjectNode().put("status", "ALREADY_COMPLETED"));
                return;
            }
            job.canceled = true;
            job.completes = clock.instant();
            provider.canceled.incrementAndGet();
        }
        reply(exchange, 202, JSON.createObjectNode().put("status", "CANCELLATION_REQUESTED"));
    }

    private void file(HttpExchange exchange, String rest) throws IOException {
        boolean video = rest.endsWith(".mp4");
        replyRaw(exchange, 200, video ? new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'} : PNG,
                video ? "video/mp4" : "image/png");
    }

    private static ObjectNode detail(String field, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("detail").addObject().put("msg", message).put("type", "value_error")
                .putArray("loc").add("body").add(field);
        return body;
    }

    static String appPath(String model) {
        String[] parts = model.split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] : model;
    }

    private static void hang(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        replyRaw(exchange, status, JSON.writeValueAsBytes(body), "application/json");
    }

    private static void replyRaw(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static final class Provider {
        final String name;
        final String apiKey;
        final Map<String, SimJob> jobs = new ConcurrentHashMap<>();
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong refusedCapacity = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong canceled = new AtomicLong();
        ProviderMode mode = ProviderMode.UP;
        Long latencyMillis;
        int capacity = 100;
        double failureRate = 0.5;

        Provider(String name, String apiKey) {
            this.name = name;
            this.apiKey = apiKey;
        }

        long inProgress(Instant now) {
            return jobs.values().stream().filter(j -> !j.done(now)).count();
        }
    }

    private static final class SimJob {
        final String id;
        final String model;
        final boolean video;
        final int images;
        final Instant submitted;
        volatile Instant completes;
        volatile boolean canceled;
        /** Decided when first looked at after finishing; null until then. */
        Boolean failed;

        SimJob(String id, String model, boolean video, int images, Instant submitted, Instant completes) {
            this.id = id;
            this.model = model;
            this.video = video;
            this.images = images;
            this.submitted = submitted;
            this.completes = completes;
        }

        boolean done(Instant now) {
            return !now.isBefore(completes);
        }
    }

    /** For the README and error messages: the settings a control request may carry. */
    public static Map<String, String> settingsHelp() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put("mode", "up | down | slow | flaky | garbage");
        help.put("latency_ms", "job run time (up, flaky) or call hang time (slow); null for the seed's defaults");
        help.put("capacity", "concurrent jobs before 429");
        help.put("failure_rate", "0..1, used by flaky");
        return help;
    }
}
