package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import run.creativeai.gateway.model.ProviderProtocol;

/**
 * One simulated provider's state, whatever protocol it speaks: its behaviour (mode, latency,
 * capacity, failure rate), the jobs it accepted, and counters. Job outcomes follow the clock: a job
 * runs for the provider's latency, and whether it failed is decided once, when it is first looked
 * at after it finished.
 */
final class SimulatedProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The settings {@link #configure} takes; anything else is a mistake, refused rather than ignored. */
    private static final java.util.List<String> SETTINGS = java.util.List.of("mode", "latency_ms", "capacity",
            "failure_rate", "callbacks", "output_bytes", "output_lifetime_ms", "training_ms");
    /** How long a LoRA training runs unless {@code training_ms} says otherwise: minutes, as at the real trainers. */
    static final long DEFAULT_TRAINING_MILLIS = 120_000;
    /** The longest simulated training: an hour, the gateway's own limit for one. */
    static final long MAX_TRAINING_MILLIS = 3_600_000;
    /** The largest output a simulated provider makes: past the seeds' longest videos. */
    static final long MAX_OUTPUT_BYTES = 1L << 30;
    /** Ten minutes: longer than any attempt timeout of the gateway, so every behaviour can be simulated. */
    static final long MAX_LATENCY_MILLIS = 600_000;
    static final int MAX_CAPACITY = 1_000_000;

    final String name;
    final String apiKey;
    final ProviderProtocol protocol;
    /** Standard Webhooks secret the provider signs its callbacks with (Replicate's scheme). */
    final String webhookSecret;
    /** Ed25519 key pair the provider signs its callbacks with (fal's scheme); the public half is its JWKS. */
    final java.security.KeyPair signingKeys;
    final Map<String, SimJob> jobs = new ConcurrentHashMap<>();
    /** Every authorised call that reached the provider, whatever it answered. */
    final AtomicLong requests = new AtomicLong();
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong refusedCapacity = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong canceled = new AtomicLong();
    final AtomicLong callbacksSent = new AtomicLong();
    /** Input images the provider downloaded to check them, as a provider does before it accepts a job. */
    final AtomicLong inputsFetched = new AtomicLong();
    /** The URLs of the input images it downloaded, in order. */
    final java.util.Queue<String> inputUrls = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Trained weights the provider downloaded from the URLs it was given, by the training they came from. */
    final java.util.List<String> weightsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Callbacks the receiver answered with a 2xx. */
    final AtomicLong callbacksAccepted = new AtomicLong();
    private final Clock clock;
    private final RandomGenerator random;
    private ProviderMode mode = ProviderMode.UP;
    private Long latencyMillis;
    private int capacity = 100;
    private double failureRate = 0.5;
    /** Whether jobs announce their end to the webhook they were given; off, the gateway learns it only by polling. */
    private boolean callbacks = true;
    /** Size of each new job's output files; 0 for the sample files as they are. */
    private long outputBytes;
    /** How long a new job's output files are served after it ends; null for as long as the provider runs. */
    private Long outputLifetimeMillis;
    /** How long a training runs, in the clock's time: nothing waits on it, the job simply completes then. */
    private long trainingMillis = DEFAULT_TRAINING_MILLIS;

    SimulatedProvider(String name, String apiKey, ProviderProtocol protocol, Clock clock, RandomGenerator random) {
        this.name = name;
        this.apiKey = apiKey;
        this.protocol = protocol;
        this.clock = clock;
        this.random = random;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
        try {
            this.signingKeys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
    }

    /** The provider's public signing key as a JWKS, as fal publishes it. */
    ObjectNode jwks() {
        byte[] spki = signingKeys.getPublic().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        ObjectNode set = JSON.createObjectNode();
        set.putArray("keys").addObject().put("kty", "OKP").put("crv", "Ed25519").put("kid", name + "-1")
                .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        return set;
    }

    /** A job the provider took on. */
    static final class SimJob {
        final String id;
        final String model;
        final boolean video;
        /** A LoRA training, whose output is weights; {@code images} is 1. */
        final boolean training;
        final int images;
        final Instant submitted;
        /** Where the job announces its end; empty while the provider's callbacks are off. */
        final Optional<URI> webhook;
        /** The callback URL the submission named, announced to or not: it names the gateway's job. */
        final Optional<URI> callbackRequested;
        /** The size of each output file: 0 for the sample file as it is, more to pad it to that many bytes. */
        final long outputBytes;
        /** How long the output files are served once the job is done; empty for as long as the provider runs. */
        final Optional<Duration> outputLifetime;
        volatile Instant completes;
        volatile boolean canceled;
        /** Decided when first looked at after finishing; null until then. */
        Boolean failed;

        SimJob(String id, String model, boolean video, boolean training, int images, Instant submitted, Instant completes,
                Optional<URI> callbackRequested, boolean callbacks, long outputBytes, Optional<Duration> outputLifetime) {
            this.id = id;
            this.model = model;
            this.video = video;
            this.training = training;
            this.images = images;
            this.submitted = submitted;
            this.completes = completes;
            this.callbackRequested = callbackRequested;
            this.webhook = callbacks ? callbackRequested : Optional.empty();
            this.outputBytes = outputBytes;
            this.outputLifetime = outputLifetime;
        }

        boolean done(Instant now) {
            return !now.isBefore(completes);
        }

        /** Whether the job's output files still exist: done, not cancelled, not yet deleted (failed jobs have none). */
        boolean serves(Instant now) {
            return done(now) && !canceled && outputLifetime.map(life -> now.isBefore(completes.plus(life))).orElse(true);
        }

        /** Output file {@code index} of the job: a training's weights name the provider and the training. */
        SampleMedia.File output(String provider, ProviderProtocol protocol) {
            if (training) {
                return SampleMedia.weights(provider, id, protocol == ProviderProtocol.FAL_QUEUE
                        ? "application/octet-stream" : "application/x-tar");
            }
            return video ? SampleMedia.video(outputBytes) : SampleMedia.image(outputBytes);
        }

        /** Still in the provider's queue: the first tenth of its run. */
        boolean queued(Instant now) {
            return Duration.between(submitted, now).toMillis() * 10 < Duration.between(submitted, completes).toMillis();
        }
    }

    /** What became of a submission. */
    sealed interface Admission permits Admission.Accepted, Admission.Full, Admission.Flaked {
        record Accepted(SimJob job) implements Admission {
        }

        record Full() implements Admission {
        }

        record Flaked() implements Admission {
        }
    }

    synchronized Admission admit(String model, boolean video, int images, Optional<URI> webhook) {
        return admit(model, video, false, images, webhook);
    }

    /** A LoRA training: it runs for the provider's training time. */
    synchronized Admission admitTraining(String model, Optional<URI> webhook) {
        return admit(model, false, true, 1, webhook);
    }

    private Admission admit(String model, boolean video, boolean training, int images, Optional<URI> webhook) {
        Instant now = clock.instant();
        if (mode == ProviderMode.FLAKY && random.nextDouble() < failureRate) {
            failed.incrementAndGet();
            return new Admission.Flaked();
        }
        if (inProgress(now) >= capacity) {
            refusedCapacity.incrementAndGet();
            return new Admission.Full();
        }
        // In slow mode latency_ms is how long each call hangs; jobs then take the seed's run times.
        long run = training ? trainingMillis : latencyMillis == null || mode == ProviderMode.SLOW
                ? (video ? SimulatedProviders.DEFAULT_VIDEO_LATENCY : SimulatedProviders.DEFAULT_IMAGE_LATENCY).toMillis()
                : latencyMillis;
        SimJob job = new SimJob(UUID.randomUUID().toString().replace("-", ""), model, video, training, Math.max(1, images), now,
                now.plusMillis(run), webhook, callbacks, outputBytes,
                Optional.ofNullable(outputLifetimeMillis).map(Duration::ofMillis));
        jobs.put(job.id, job);
        submitted.incrementAndGet();
        return new Admission.Accepted(job);
    }

    /** Whether a finished job failed at the provider; decided once, at the provider's current flakiness. */
    synchronized boolean settle(SimJob job) {
        if (job.failed == null) {
            job.failed = !job.canceled && mode == ProviderMode.FLAKY && random.nextDouble() < failureRate;
            if (job.failed) {
                failed.incrementAndGet();
            }
        }
        return job.failed;
    }

    /** @return false when the job had already finished */
    synchronized boolean cancel(SimJob job) {
        if (job.done(clock.instant())) {
            return false;
        }
        job.canceled = true;
        job.completes = clock.instant();
        canceled.incrementAndGet();
        return true;
    }

    synchronized ProviderMode mode() {
        return mode;
    }

    synchronized long hangMillis() {
        return latencyMillis == null ? 0 : latencyMillis;
    }

    Instant now() {
        return clock.instant();
    }

    long inProgress(Instant now) {
        return jobs.values().stream().filter(j -> !j.done(now)).count();
    }

    /** Applies the fields given; validates all before changing any. */
    synchronized void configure(JsonNode settings) {
        for (java.util.Iterator<String> it = settings.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!SETTINGS.contains(field)) {
                throw new IllegalArgumentException("unknown setting " + field + "; the settings are "
                        + String.join(", ", SETTINGS));
            }
        }
        ProviderMode newMode = mode;
        if (settings.has("mode")) {
            try {
                newMode = ProviderMode.fromWire(settings.path("mode").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be one of up, down, slow, flaky, garbage");
            }
        }
        Long newLatency = latencyMillis;
        if (settings.has("latency_ms")) {
            JsonNode v = settings.get("latency_ms");
            // A number past a long would wrap around (18446744073709551621 became 5); one past the bound is refused.
            if (!v.isNull() && !(v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0
                    && v.asLong() <= MAX_LATENCY_MILLIS)) {
                throw new IllegalArgumentException("latency_ms must be null or a whole number of milliseconds from 0 to "
                        + MAX_LATENCY_MILLIS);
            }
            newLatency = v.isNull() ? null : v.asLong();
        }
        int newCapacity = capacity;
        if (settings.has("capacity")) {
            JsonNode v = settings.get("capacity");
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > MAX_CAPACITY) {
                throw new IllegalArgumentException("capacity must be a whole number from 1 to " + MAX_CAPACITY);
            }
            newCapacity = v.asInt();
        }
        double newRate = failureRate;
        if (settings.has("failure_rate")) {
            JsonNode v = settings.get("failure_rate");
            if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
                throw new IllegalArgumentException("failure_rate must be a number from 0 to 1");
            }
            newRate = v.asDouble();
        }
        boolean newCallbacks = callbacks;
        if (settings.has("callbacks")) {
            JsonNode v = settings.get("callbacks");
            if (!v.isBoolean()) {
                throw new IllegalArgumentException("callbacks must be true or false");
            }
            newCallbacks = v.asBoolean();
        }
        long newOutputBytes = outputBytes;
        if (settings.has("output_bytes")) {
            JsonNode v = settings.get("output_bytes");
            if (!(v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0 && v.asLong() <= MAX_OUTPUT_BYTES)) {
                throw new IllegalArgumentException("output_bytes must be a whole number of bytes from 0 (the sample file"
                        + " as it is) to " + MAX_OUTPUT_BYTES);
            }
            newOutputBytes = v.asLong();
        }
        Long newLifetime = outputLifetimeMillis;
        if (settings.has("output_lifetime_ms")) {
            JsonNode v = settings.get("output_lifetime_ms");
            if (!v.isNull() && !(v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0)) {
                throw new IllegalArgumentException("output_lifetime_ms must be null (served as long as the provider"
                        + " runs) or a whole number of milliseconds from 0");
            }
            newLifetime = v.isNull() ? null : v.asLong();
        }
        long newTraining = trainingMillis;
        if (settings.has("training_ms")) {
            JsonNode v = settings.get("training_ms");
            if (!(v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0 && v.asLong() <= MAX_TRAINING_MILLIS)) {
                throw new IllegalArgumentException("training_ms must be a whole number of milliseconds from 0 to "
                        + MAX_TRAINING_MILLIS);
            }
            newTraining = v.asLong();
        }
        trainingMillis = newTraining;
        mode = newMode;
        callbacks = newCallbacks;
        outputBytes = newOutputBytes;
        outputLifetimeMillis = newLifetime;
        latencyMillis = newLatency;
        capacity = newCapacity;
        failureRate = newRate;
    }

    synchronized ObjectNode describe(URI url) {
        ObjectNode node = JSON.createObjectNode()
                .put("protocol", protocol.name().toLowerCase(java.util.Locale.ROOT))
                .put("mode", mode.wireName())
                .put("capacity", capacity)
                .put("failure_rate", failureRate)
                .put("callbacks", callbacks)
                .put("output_bytes", outputBytes)
                .put("in_progress", inProgress(clock.instant()))
                .put("requests", requests.get())
                .put("submitted", submitted.get())
                .put("refused_capacity", refusedCapacity.get())
                .put("failed", failed.get())
                .put("canceled", canceled.get())
                .put("callbacks_sent", callbacksSent.get())
                .put("callbacks_accepted", callbacksAccepted.get())
                .put("inputs_fetched", inputsFetched.get())
                .put("training_ms", trainingMillis)
                .put("weights_fetched", weightsSeen.size())
                .put("url", url.toString());
        if (latencyMillis == null) {
            node.putNull("latency_ms");
        } else {
            node.put("latency_ms", latencyMillis);
        }
        if (outputLifetimeMillis == null) {
            node.putNull("output_lifetime_ms");
        } else {
            node.put("output_lifetime_ms", outputLifetimeMillis);
        }
        return node;
    }
}
