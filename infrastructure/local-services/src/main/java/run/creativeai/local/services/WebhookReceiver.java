package run.creativeai.local.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A customer's webhook endpoint on loopback: records every POST below its mount path with headers,
 * body and time, answers with the status configured for that path (200 unless told otherwise), and
 * checks each delivery's Standard Webhooks signature against every tenant's secret. The secrets are
 * read from their source again whenever none verifies a signed delivery, so a tenant created a
 * moment ago, or a secret rotated since, is known.
 * {@code GET} on the mount path lists everything that arrived, on a path below it what arrived there;
 * {@code GET <path>?last=raw} answers the last delivery's exact body with its signature headers,
 * for verifying a signature by hand.
 */
public final class WebhookReceiver implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Supplier<Map<String, String>> secretsByTenant;
    private volatile Map<String, String> knownSecrets = Map.of();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Delivery>> firstArrivals = new ConcurrentHashMap<>();

    /**
     * Mountable at any path prefix; deliveries are recorded under their path below it.
     *
     * @param secretsByTenant every tenant's current signing secret, tenant id to {@code whsec_} secret
     */
    public WebhookReceiver(Clock clock, Supplier<Map<String, String>> secretsByTenant) {
        this.clock = clock;
        this.secretsByTenant = secretsByTenant;
    }

    /** One request as it arrived. */
    public record Delivery(String path, Map<String, String> headers, byte[] body, Instant receivedAt, int answered,
            Optional<String> signedBy) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Makes POSTs to {@code path} answer {@code status}, after {@code delay}. */
    public void respond(String path, int status, Duration delay) {
        behaviours.put(path, new Behaviour(status, delay));
    }

    /**
     * Completes with the first delivery to {@code path} made after this call: a wait for one delivery
     * among many that costs nothing per other delivery (load tests wait on thousands at once).
     */
    public CompletableFuture<Delivery> firstDelivery(String path) {
        return firstArrivals.computeIfAbsent(path, p -> new CompletableFuture<>());
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public synchronized List<Delivery> deliveries(String path) {
        return deliveries.stream().filter(d -> d.path.equals(path)).toList();
    }

    /**
     * Blocks until at least {@code count} deliveries match, or the deadline passes.
     *
     * @return the matching deliveries at that moment
     */
    public synchronized List<Delivery> await(Predicate<Delivery> match, int count, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            List<Delivery> matching = deliveries.stream().filter(match).toList();
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (matching.size() >= count || left <= 0) {
                return matching;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return matching;
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length());
            path = path.isEmpty() ? "/" : path;
            if (exchange.getRequestMethod().equals("GET") && "last=raw".equals(exchange.getRequestURI().getRawQuery())) {
                Optional<Delivery> last = deliveries(path).stream().reduce((first, second) -> second);
                if (last.isEmpty()) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                // The exact bytes that were signed, with the signature headers they came with.
                for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature",
                        "x-creativeai-signature", "x-creativeai-event", "content-type")) {
                    Optional.ofNullable(last.get().header(name)).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
                }
                exchange.sendResponseHeaders(200, last.get().body().length);
                exchange.getResponseBody().write(last.get().body());
                return;
            }
            if (exchange.getRequestMethod().equals("GET")) {
                byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(list(path));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            Behaviour behaviour = behaviours.getOrDefault(path, new Behaviour(200, Duration.ZERO));
            if (!behaviour.delay.isZero()) {
                try {
                    Thread.sleep(behaviour.delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Delivery delivery = new Delivery(path, headers, body, clock.instant(), behaviour.status, signer(headers, body));
            synchronized (this) {
                deliveries.add(delivery);
                notifyAll();
            }
            CompletableFuture<Delivery> waiting = firstArrivals.remove(path);
            if (waiting != null) {
                waiting.complete(delivery);
            }
            byte[] reply = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(behaviour.status, reply.length);
            exchange.getResponseBody().write(reply);
        }
    }

    private synchronized ObjectNode list(String path) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode items = root.putArray("deliveries");
        for (Delivery d : deliveries) {
            if (!path.equals("/") && !d.path.equals(path)) {
                continue;
            }
            ObjectNode node = items.addObject()
                    .put("path", d.path)
                    .put("received_at", d.receivedAt.toString())
                    .put("answered", d.answered)
                    .put("webhook_id", d.header("webhook-id"))
                    .put("signature_valid", d.signedBy.isPresent());
            d.signedBy.ifPresent(t -> node.put("signed_for_tenant", t));
            try {
                node.set("body", JSON.readTree(d.body));
            } catch (IOException e) {
                node.put("body", d.bodyText());
            }
        }
        return root;
    }

    /** The tenant whose secret produced the Standard Webhooks signature, if any did. */
    private Optional<String> signer(Map<String, String> headers, byte[] body) {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return Optional.empty();
        }
        byte[] signed = (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        Optional<String> known = signer(knownSecrets, signed, signatures);
        if (known.isPresent()) {
            return known;
        }
        try {
            knownSecrets = Map.copyOf(secretsByTenant.get());
        } catch (RuntimeException e) {
            // The secrets cannot be read (the cloud is stopping): the delivery is recorded all the same, unverified.
            return Optional.empty();
        }
        return signer(knownSecrets, signed, signatures);
    }

    private static Optional<String> signer(Map<String, String> secrets, byte[] signed, String signatures) {
        for (Map.Entry<String, String> tenant : secrets.entrySet()) {
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    hmac(Base64.getDecoder().decode(tenant.getValue().substring("whsec_".length())), signed));
            for (String candidate : signatures.split(" ")) {
                if (java.security.MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII),
                        expected.getBytes(StandardCharsets.US_ASCII))) {
                    return Optional.of(tenant.getKey());
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Behaviour(int status, Duration delay) {
    }
}
