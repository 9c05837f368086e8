package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import run.creativeai.gateway.model.ProviderProtocol;

/**
 * GPU providers on loopback, each under {@code <base>/<name>/} and speaking a real public protocol
 * (fal.ai's queue API or Replicate's predictions API), with behaviour set per provider at run time:
 * latency, capacity (429 beyond it), failure rate and outages ({@link ProviderMode}). A prompt
 * containing {@code [reject]} is refused as invalid input, as a provider refuses input that breaks
 * its content policy. Outputs are real PNG and MP4 files ({@link SampleMedia}) under
 * {@code <provider>/files/}, of a size and for a lifetime each provider can be given.
 */
public final class SimulatedProviders implements HttpHandler, AutoCloseable {
    /** Seed 000: 1.2 s for a 1024x1024 image, about 45 s for a 5 s video clip. */
    public static final Duration DEFAULT_IMAGE_LATENCY = Duration.ofMillis(1200);
    public static final Duration DEFAULT_VIDEO_LATENCY = Duration.ofSeconds(45);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final RandomGenerator random;
    private final String mountPath;
    private final Map<String, SimulatedProvider> providers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService callbacks = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "provider-callbacks");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<ProviderProtocol, ProviderApi> apis = new EnumMap<>(ProviderProtocol.class);
    private volatile URI base = URI.create("http://127.0.0.1/");

    /** @param mountPath the context path this handler is mounted at, e.g. {@code /providers} */
    public SimulatedProviders(Clock clock, RandomGenerator random, String mountPath) {
        this.clock = clock;
        this.random = random;
        this.mountPath = mountPath;
        apis.put(ProviderProtocol.FAL_QUEUE, new FalQueueApi(callbacks));
        apis.put(ProviderProtocol.REPLICATE_PREDICTIONS, new ReplicateApi(callbacks));
    }

    void baseUrl(URI serverBase) {
        this.base = serverBase.resolve(mountPath + "/");
    }

    /** The base URL a provider's adapter is configured with. */
    public URI url(String provider) {
        return base.resolve(provider);
    }

    /** Adds a provider speaking {@code protocol} that accepts {@code apiKey}. */
    public void register(String provider, String apiKey, ProviderProtocol protocol) {
        providers.put(provider, new SimulatedProvider(provider, apiKey, protocol, clock, random));
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(providers.keySet());
    }

    /** How a provider's callbacks are verified, as the gateway is configured with it: a secret or a key set URL. */
    public JsonNode callbackVerification(String provider) {
        SimulatedProvider p = require(provider);
        return switch (p.protocol) {
            case REPLICATE_PREDICTIONS -> JSON.getNodeFactory().textNode(p.webhookSecret);
            case FAL_QUEUE -> JSON.createObjectNode().put("jwks_url", url(provider) + "/.well-known/jwks.json");
        };
    }

    /**
     * Changes a provider's behaviour; fields left out keep their value.
     *
     * @return the provider's description after the change, or empty if there is no such provider
     * @throws IllegalArgumentException naming the field when a value is invalid
     */
    public Optional<ObjectNode> configure(String provider, JsonNode settings) {
        SimulatedProvider p = providers.get(provider);
        if (p == null) {
            return Optional.empty();
        }
        p.configure(settings);
        return Optional.of(p.describe(url(provider)));
    }

    /** Every provider's settings and counters. */
    public ObjectNode describeAll() {
        ObjectNode all = JSON.createObjectNode();
        providers.keySet().stream().sorted().forEach(name -> all.set(name, providers.get(name).describe(url(name))));
        return all;
    }

    /** Requests a provider accepted so far. */
    public long submissions(String provider) {
        return require(provider).submitted.get();
    }

    /**
     * Submissions a provider accepted for one job of the gateway, told apart by the callback URL
     * each names ({@code .../jobs/<job id>/attempts/...}): what a test counts while other tests'
     * jobs use the same provider.
     */
    public long submissionsFor(String provider, String gatewayJob) {
        String named = "/jobs/" + gatewayJob + "/";
        return require(provider).jobs.values().stream()
                .filter(job -> job.callbackRequested.filter(url -> url.getPath().contains(named)).isPresent()).count();
    }

    /** The provider's own ids of the submissions it accepted for one job of the gateway (as {@link #submissionsFor}). */
    public java.util.List<String> acceptedFor(String provider, String gatewayJob) {
        String named = "/jobs/" + gatewayJob + "/";
        return require(provider).jobs.values().stream()
                .filter(job -> job.callbackRequested.filter(url -> url.getPath().contains(named)).isPresent())
                .map(job -> job.id).toList();
    }

    /** Callbacks a provider sent that the receiver answered with a 2xx. */
    public long callbacksAccepted(String provider) {
        return require(provider).callbacksAccepted.get();
    }

    /** Jobs the gateway asked a provider to cancel, and it did. */
    public long cancellations(String provider) {
        return require(provider).canceled.get();
    }

    /** Calls that reached a provider so far, whatever it answered. */
    public long requests(String provider) {
        return require(provider).requests.get();
    }

    /**
     * The trainings (by the id their provider gave them) whose weights a provider downloaded to run a
     * generation with them, in order.
     */
    public java.util.List<String> weightsSeen(String provider) {
        return java.util.List.copyOf(require(provider).weightsSeen);
    }

    /** Input images the provider downloaded from the URLs it was given. */
    public long inputsFetched(String provider) {
        return require(provider).inputsFetched.get();
    }

    /** The URLs of the input images the provider downloaded, in order: what a test checks a job was given. */
    public java.util.List<String> inputUrlsFetched(String provider) {
        return java.util.List.copyOf(require(provider).inputUrls);
    }

    private SimulatedProvider require(String provider) {
        SimulatedProvider p = providers.get(provider);
        if (p == null) {
            throw new IllegalArgumentException("no simulated provider " + provider);
        }
        return p;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(mountPath.length()).replaceFirst("^/", "");
            int slash = path.indexOf('/');
            SimulatedProvider provider = providers.get(slash < 0 ? path : path.substring(0, slash));
            if (provider == null) {
                ProviderApi.reply(exchange, 404, JSON.createObjectNode().put("detail", "no such provider"));
                return;
            }
            String rest = slash < 0 ? "" : path.substring(slash + 1);
            if (exchange.getRequestMethod().equals("GET") && rest.startsWith("files/")) {
                serveFile(exchange, provider, rest.substring("files/".length()));
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && rest.equals(".well-known/jwks.json")) {
                ProviderApi.reply(exchange, 200, provider.jwks());
                return;
            }
            ProviderApi api = apis.get(provider.protocol);
            if (!api.authorized(exchange, provider)) {
                ProviderApi.reply(exchange, 401, JSON.createObjectNode().put("detail", "Invalid API key"));
                return;
            }
            provider.requests.incrementAndGet();
            switch (provider.mode()) {
                case DOWN -> {
                    ProviderApi.reply(exchange, 503, JSON.createObjectNode().put("detail", "Service temporarily unavailable"));
                    return;
                }
                case GARBAGE -> {
                    ProviderApi.replyRaw(exchange, 200,
                            "<html>upstream proxy error</html>".getBytes(StandardCharsets.UTF_8), "text/html");
                    return;
                }
                case SLOW -> hang(provider.hangMillis());
                default -> {
                }
            }
            api.handle(exchange, provider, rest, url(provider.name));
        }
    }

    /**
     * A job's output file, {@code <job>/<index>.<ext>}, served without credentials as a provider's CDN
     * serves it: while the job's outputs exist (done, not failed or cancelled, within the provider's
     * output lifetime), else 404. The file is written as it is sent, whatever its size.
     */
    private static void serveFile(HttpExchange exchange, SimulatedProvider provider, String path) throws IOException {
        String[] parts = path.split("/");
        SimulatedProvider.SimJob job = parts.length == 2 ? provider.jobs.get(parts[0]) : null;
        if (job == null || !job.serves(provider.now()) || provider.settle(job)) {
            ProviderApi.reply(exchange, 404, JSON.createObjectNode().put("detail", "Not found"));
            return;
        }
        SampleMedia.File file = job.output(provider.name, provider.protocol);
        exchange.getResponseHeaders().set("Content-Type", file.contentType());
        exchange.sendResponseHeaders(200, file.length());
        file.writeTo(exchange.getResponseBody());
    }

    /**
     * Only loopback callback URLs are ever called, named literally (no name is resolved): nothing
     * here sends traffic off the machine.
     */
    static Optional<URI> loopback(String url) {
        try {
            URI uri = new URI(url);
            String host = uri.getHost() == null ? "" : uri.getHost().replaceAll("^\\[|]$", "");
            boolean literal = host.matches("[0-9.]+") || host.contains(":");
            boolean loopback = host.equals("localhost") || (literal && InetAddress.getByName(host).isLoopbackAddress());
            return loopback ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException | IOException e) {
            return Optional.empty();
        }
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

    @Override
    public void close() {
        callbacks.shutdownNow();
    }
}
