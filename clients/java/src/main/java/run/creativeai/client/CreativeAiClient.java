package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the gateway's v1 API. Built once ({@link #builder()}), immutable and safe to share
 * between threads. Every call either returns the API's answer as a value or throws a
 * {@link CreativeAiException}: an {@link ApiException} of the error's family, an
 * {@link ApiConnectionException} when no answer came, a {@link WaitTimeoutException} when a wait ran
 * out. Creates carry an {@code Idempotency-Key}, the same on the client's own retries, so no retry makes
 * a second job; retries follow the {@link RetryPolicy}.
 */
public final class CreativeAiClient {
    /** The longest {@code Prefer: wait} the API honours (the HTTP API gives a request 30 s). */
    public static final Duration MAX_PREFER_WAIT = Duration.ofSeconds(25);
    private static final Set<Integer> RETRIED_STATUSES = Set.of(429, 503, 504);
    private static final String USER_AGENT = "creativeai-java/1.0";

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Duration pollInitial;
    private final Duration pollMax;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final Supplier<String> idempotencyKeys;

    private CreativeAiClient(Builder b) {
        this.baseUrl = b.baseUrl.replaceAll("/+$", "");
        this.apiKey = b.apiKey;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        this.requestTimeout = b.requestTimeout;
        this.retry = b.retry;
        this.pollInitial = b.pollInitial;
        this.pollMax = b.pollMax;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.idempotencyKeys = b.idempotencyKeys;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- generations

    /** Creates a generation: {@code 202} with the queued job, or {@code 200} with the ended one when a {@code Prefer: wait} was met. */
    public Generation create(GenerationRequest request) {
        return create(request, RequestOptions.DEFAULT);
    }

    public Generation create(GenerationRequest request, RequestOptions options) {
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        Duration timeout = requestTimeout;
        // Only image creation honours Prefer: wait (videos take minutes); whole seconds, at most 25.
        Optional<Duration> wait = options.preferWait().filter(w -> request instanceof ImageRequest && w.toSeconds() > 0);
        if (wait.isPresent()) {
            long seconds = Math.min(wait.get().toSeconds(), MAX_PREFER_WAIT.toSeconds());
            headers.put("Prefer", "wait=" + seconds);
            timeout = timeout.plusSeconds(seconds);
        }
        String route = request instanceof ImageRequest ? "/v1/images/generations" : "/v1/video/generations";
        Answer answer = exchange(Call.post(baseUrl + route, Json.write(request.fields()), headers,
                Optional.of(key(options)), timeout));
        return Generation.of(expect(answer, 200, 202), answer.replayed());
    }

    public Generation get(String id) {
        return Generation.of(expect(exchange(Call.get(baseUrl + "/v1/generations/" + segment(id), requestTimeout)), 200),
                false);
    }

    /**
     * Cancels a generation: a queued one never reaches a provider, a running one is cancelled there.
     *
     * @throws InvalidRequestException {@code generation_ended} (409) when it had already ended
     */
    public Generation cancel(String id) {
        return Generation.of(expect(exchange(Call.delete(baseUrl + "/v1/generations/" + segment(id), requestTimeout)), 200),
                false);
    }

    /**
     * Reads the generation until it has ended, polling with backoff (from the builder's initial poll
     * interval, doubling, up to its maximum): the job as it ended, whether it succeeded, failed or was
     * cancelled.
     *
     * @throws WaitTimeoutException when it has not ended within {@code timeout}; the job goes on
     */
    public Generation waitFor(String id, Duration timeout) {
        return poll(() -> get(id), Generation::isTerminal, timeout, seen -> new WaitTimeoutException(seen, timeout));
    }

    /**
     * Reads with {@code read} until {@code ended}, pausing between reads with backoff (from the builder's
     * initial poll interval, doubling, up to its maximum, jittered), never past {@code timeout}.
     */
    private <T> T poll(Supplier<T> read, java.util.function.Predicate<T> ended, Duration timeout,
            java.util.function.Function<T, WaitTimeoutException> timedOut) {
        Instant deadline = clock.instant().plus(timeout);
        Duration interval = pollInitial;
        T seen = read.get();
        while (!ended.test(seen)) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw timedOut.apply(seen);
            }
            Duration jittered = interval.minusNanos((long) (interval.toNanos() * retry.jitter() * random.getAsDouble()));
            pause(jittered.compareTo(left) < 0 ? jittered : left, Optional.empty());
            interval = interval.multipliedBy(2).compareTo(pollMax) > 0 ? pollMax : interval.multipliedBy(2);
            seen = read.get();
        }
        return seen;
    }

    /**
     * Creates a generation and waits for its end: an image asks the create itself to wait
     * ({@code Prefer: wait}, up to 25 s of {@code timeout}), then the job is polled for what is left of
     * {@code timeout}.
     */
    public Generation createAndWait(GenerationRequest request, Duration timeout) {
        return createAndWait(request, RequestOptions.DEFAULT, timeout);
    }

    public Generation createAndWait(GenerationRequest request, RequestOptions options, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        Generation created = create(request, options.preferWait().isPresent() ? options : options.withPreferWait(timeout));
        if (created.isTerminal()) {
            return created;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        return waitFor(created.id(), left.isNegative() ? Duration.ZERO : left);
    }

    /**
     * Creates up to 100 generations in one request ({@code POST /v1/generations/batch}); each task is
     * admitted or refused on its own, and a refused task is a value in the result, not an exception.
     */
    public BatchResult createBatch(List<? extends GenerationRequest> tasks) {
        return createBatch(tasks, RequestOptions.DEFAULT);
    }

    public BatchResult createBatch(List<? extends GenerationRequest> tasks, RequestOptions options) {
        List<Map<String, Object>> body = new ArrayList<>();
        for (GenerationRequest task : tasks) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("kind", task.kind());
            fields.putAll(task.fields());
            body.add(fields);
        }
        Answer answer = exchange(Call.post(baseUrl + "/v1/generations/batch", Json.write(Map.of("tasks", body)),
                options.headers(), Optional.of(key(options)), requestTimeout));
        return BatchResult.of(expect(answer, 200), answer.replayed());
    }

    // ---- workflows

    /** Creates a workflow: {@code 202} with it queued; its steps are admitted as generations as they become ready. */
    public Workflow createWorkflow(WorkflowRequest request) {
        return createWorkflow(request, RequestOptions.DEFAULT);
    }

    /**
     * Creates a workflow with the options' {@code Idempotency-Key} and {@code Cancel-After}, which bounds
     * the whole workflow from this create; their {@code Prefer: wait} is not sent (a workflow's create
     * does not wait).
     */
    public Workflow createWorkflow(WorkflowRequest request, RequestOptions options) {
        Answer answer = exchange(Call.post(baseUrl + "/v1/workflows", Json.write(request.fields()), options.headers(),
                Optional.of(key(options)), requestTimeout));
        return Workflow.of(expect(answer, 202), answer.replayed());
    }

    public Workflow getWorkflow(String id) {
        return Workflow.of(expect(exchange(Call.get(baseUrl + "/v1/workflows/" + segment(id), requestTimeout)), 200),
                false);
    }

    /**
     * Cancels a workflow: its steps still queued or running are cancelled as generations are, and the
     * steps not admitted yet never are.
     *
     * @throws InvalidRequestException (409) when it had already ended
     */
    public Workflow cancelWorkflow(String id) {
        return Workflow.of(expect(exchange(Call.delete(baseUrl + "/v1/workflows/" + segment(id), requestTimeout)), 200),
                false);
    }

    /**
     * Reads the workflow until it has ended, polling as {@link #waitFor} does: the workflow as it ended,
     * whether it succeeded, failed or was cancelled.
     *
     * @throws WaitTimeoutException when it has not ended within {@code timeout}; the workflow goes on
     */
    public Workflow waitForWorkflow(String id, Duration timeout) {
        return poll(() -> getWorkflow(id), Workflow::isTerminal, timeout, seen -> new WaitTimeoutException(seen, timeout));
    }

    // ---- trainings

    /**
     * Creates a LoRA training: {@code 202} with it queued. A training is a job as a generation is (its
     * limits, price, deadline, webhook and status), so it reads as a {@link Generation} whose
     * {@link Generation#kind()} is {@code training}; once it has succeeded, {@link Generation#fineTunedModel()}
     * names the tenant's new model.
     */
    public Generation createTraining(TrainingRequest request) {
        return createTraining(request, RequestOptions.DEFAULT);
    }

    /** Creates a training with the options' {@code Idempotency-Key} and {@code Cancel-After} (not {@code Prefer: wait}). */
    public Generation createTraining(TrainingRequest request, RequestOptions options) {
        Answer answer = exchange(Call.post(baseUrl + "/v1/trainings", Json.write(request.fields()), options.headers(),
                Optional.of(key(options)), requestTimeout));
        return Generation.of(expect(answer, 202), answer.replayed());
    }

    public Generation getTraining(String id) {
        return Generation.of(expect(exchange(Call.get(baseUrl + "/v1/trainings/" + segment(id), requestTimeout)), 200),
                false);
    }

    /**
     * Cancels a training: a queued one never reaches a trainer, a running one is cancelled there.
     *
     * @throws InvalidRequestException (409) when it had already ended
     */
    public Generation cancelTraining(String id) {
        return Generation.of(expect(exchange(Call.delete(baseUrl + "/v1/trainings/" + segment(id), requestTimeout)), 200),
                false);
    }

    /**
     * Reads the training until it has ended, polling as {@link #waitFor} does.
     *
     * @throws WaitTimeoutException when it has not ended within {@code timeout}; the training goes on
     */
    public Generation waitForTraining(String id, Duration timeout) {
        return poll(() -> getTraining(id), Generation::isTerminal, timeout, seen -> new WaitTimeoutException(seen, timeout));
    }

    // ---- uploads and outputs

    /**
     * Uploads an input image end to end: {@code POST /v1/uploads}, the bytes {@code PUT} straight to the
     * presigned URL it answers (never through the API), then the upload as the API now sees it
     * ({@code uploaded}). Name it as a generation's {@code image} or {@code mask}.
     *
     * @param contentType {@code image/png}, {@code image/jpeg} or {@code image/webp}
     */
    public Upload upload(byte[] bytes, String contentType) {
        return upload(HttpRequest.BodyPublishers.ofByteArray(bytes), bytes.length, contentType);
    }

    /** Uploads a PNG, JPEG or WebP file, its type read from its first bytes. */
    public Upload upload(Path file) {
        try {
            byte[] head;
            try (var in = Files.newInputStream(file)) {
                head = in.readNBytes(12);
            }
            String type = ImageType.of(head).orElseThrow(() -> new IllegalArgumentException(
                    file + " is not a PNG, JPEG or WebP image; give its content type to upload(byte[], String)"));
            return upload(HttpRequest.BodyPublishers.ofFile(file), Files.size(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Upload upload(HttpRequest.BodyPublisher bytes, long size, String contentType) {
        JsonNode created = expect(exchange(Call.post(baseUrl + "/v1/uploads",
                Json.write(Map.of("content_type", contentType, "size_bytes", size)), Map.of(), Optional.empty(),
                requestTimeout)), 201);
        Map<String, String> headers = new LinkedHashMap<>();
        created.path("upload_headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        Call put = new Call(Json.text(created, "upload_method", "PUT"), Json.text(created, "upload_url", ""), null,
                headers, Optional.empty(), false, requestTimeout.multipliedBy(4)).withBody(bytes);
        Answer stored = exchange(put);
        if (stored.status() / 100 != 2) {
            // Only the storage's error code: its error page may quote the signed request.
            Matcher code = Pattern.compile("<Code>([A-Za-z]{1,64})</Code>")
                    .matcher(new String(stored.raw(), StandardCharsets.UTF_8));
            throw new ApiConnectionException("the storage refused the bytes of upload " + Json.text(created, "id", "")
                    + ": " + stored.status() + (code.find() ? " " + code.group(1) : ""), null, null);
        }
        return getUpload(Json.text(created, "id", ""));
    }

    public Upload getUpload(String id) {
        return Upload.of(expect(exchange(Call.get(baseUrl + "/v1/uploads/" + segment(id), requestTimeout)), 200));
    }

    /**
     * An output's bytes, from its presigned URL (no key is sent there), checked against the size and
     * SHA-256 the gateway measured when it copied them.
     */
    public byte[] download(Output output) {
        Call get = new Call("GET", output.url().toString(), null, Map.of(), Optional.empty(), false,
                requestTimeout.multipliedBy(4));
        Answer answer = exchange(get);
        if (answer.status() != 200) {
            throw new OutputDownloadException("output " + output.index() + " answered " + answer.status()
                    + (answer.status() == 403 ? ": its URL has expired; read the generation again for a fresh one" : ""));
        }
        byte[] bytes = answer.raw();
        if (output.sizeBytes().isPresent() && output.sizeBytes().getAsLong() != bytes.length) {
            throw new OutputDownloadException("output " + output.index() + " arrived with " + bytes.length
                    + " bytes, not the " + output.sizeBytes().getAsLong() + " the gateway stored");
        }
        if (output.sha256().isPresent() && !output.sha256().get().equalsIgnoreCase(sha256(bytes))) {
            throw new OutputDownloadException("output " + output.index() + " arrived, but its SHA-256 is not the "
                    + output.sha256().get() + " the gateway stored");
        }
        return bytes;
    }

    // ---- the account

    public List<Model> listModels() {
        return Json.list(expect(exchange(Call.get(baseUrl + "/v1/models", requestTimeout)), 200), "data", Model::of);
    }

    public Quota quota() {
        return Quota.of(expect(exchange(Call.get(baseUrl + "/v1/quota", requestTimeout)), 200));
    }

    /** @param groupBy {@code day}, {@code model} or {@code key} */
    public Usage usage(LocalDate from, LocalDate to, String groupBy) {
        return Usage.of(expect(exchange(Call.get(baseUrl + "/v1/usage?from=" + from + "&to=" + to + "&group_by="
                + URLEncoder.encode(groupBy, StandardCharsets.UTF_8), requestTimeout)), 200));
    }

    @Override
    public String toString() {
        return "CreativeAiClient[" + baseUrl + "]";
    }

    // ---- one exchange, with its retries

    private record Call(String method, String url, HttpRequest.BodyPublisher body, Map<String, String> headers,
            Optional<String> idempotencyKey, boolean authorized, Duration timeout) {

        static Call get(String url, Duration timeout) {
            return new Call("GET", url, null, Map.of(), Optional.empty(), true, timeout);
        }

        static Call delete(String url, Duration timeout) {
            return new Call("DELETE", url, null, Map.of(), Optional.empty(), true, timeout);
        }

        static Call post(String url, byte[] json, Map<String, String> headers, Optional<String> idempotencyKey,
                Duration timeout) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", "application/json");
            return new Call("POST", url, HttpRequest.BodyPublishers.ofByteArray(json), all, idempotencyKey, true, timeout);
        }

        Call withBody(HttpRequest.BodyPublisher publisher) {
            return new Call(method, url, publisher, headers, idempotencyKey, authorized, timeout);
        }
    }

    private record Answer(int status, HttpHeaders headers, byte[] raw, JsonNode json) {
        boolean replayed() {
            return headers.firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
        }
    }

    private Answer exchange(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).timeout(call.timeout())
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body());
        call.headers().forEach(request::header);
        if (call.authorized()) {
            request.header("Authorization", "Bearer " + apiKey).header("User-Agent", USER_AGENT)
                    .header("Accept", "application/json");
        }
        call.idempotencyKey().ifPresent(key -> request.header("Idempotency-Key", key));
        HttpRequest built = request.build();
        for (int attempt = 1;; attempt++) {
            Answer answer;
            try {
                HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                byte[] raw = response.body() == null ? new byte[0] : response.body();
                answer = new Answer(response.statusCode(), response.headers(), raw,
                        call.authorized() ? Json.parse(raw) : Json.parse(new byte[0]));
            } catch (IOException e) {
                Optional<Duration> backoff = retry.delayBefore(attempt + 1, Optional.empty(), random.getAsDouble());
                if (backoff.isEmpty()) {
                    throw new ApiConnectionException(call.method() + " " + withoutQuery(call.url()) + " got no answer in "
                            + attempt + " attempt(s): " + e, e, call.idempotencyKey().orElse(null));
                }
                pause(backoff.get(), call.idempotencyKey());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiConnectionException("interrupted waiting for " + call.method() + " " + withoutQuery(call.url()),
                        e, call.idempotencyKey().orElse(null));
            }
            if (!retried(answer, call)) {
                return answer;
            }
            Optional<Duration> delay = retry.delayBefore(attempt + 1, RetryAfter.of(answer.headers(), answer.json(), clock),
                    random.getAsDouble());
            if (delay.isEmpty()) {
                return answer;
            }
            pause(delay.get(), call.idempotencyKey());
        }
    }

    /**
     * Whether the answer asks to be tried again: a limit or the service said later (429, 503), a proxy
     * gave up waiting (504), or the same create is still being processed (409 with the same key: its
     * answer comes on the next try).
     */
    private static boolean retried(Answer answer, Call call) {
        if (RETRIED_STATUSES.contains(answer.status())) {
            return true;
        }
        return answer.status() == 409 && call.idempotencyKey().isPresent()
                && "idempotency_key_in_use".equals(answer.json().path("error").path("code").asText());
    }

    private void pause(Duration duration, Optional<String> idempotencyKey) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted while waiting " + duration, e, idempotencyKey.orElse(null));
        }
    }

    private JsonNode expect(Answer answer, int... ok) {
        for (int status : ok) {
            if (answer.status() == status) {
                return answer.json();
            }
        }
        throw ApiError.of(answer.status(), answer.headers(), answer.json(), clock).toException();
    }

    private String key(RequestOptions options) {
        return options.idempotencyKey().orElseGet(idempotencyKeys);
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A presigned URL's query is its signature: never in a message. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /**
     * The client's configuration, set once. Only the base URL and the API key are required; the rest
     * defaults to a real HTTP client, the system clock, sleeping threads and random UUID keys, and is
     * replaceable for tests.
     */
    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private HttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration pollInitial = Duration.ofMillis(500);
        private Duration pollMax = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.THREAD;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Supplier<String> idempotencyKeys = () -> UUID.randomUUID().toString();

        private Builder() {
        }

        /** e.g. {@code https://api.example.com} or {@code http://127.0.0.1:3000} for the local cloud. */
        public Builder baseUrl(String url) {
            this.baseUrl = url;
            return this;
        }

        public Builder baseUrl(URI url) {
            return baseUrl(url.toString());
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one attempt may take (a {@code Prefer: wait} is added to it). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** How {@link #waitFor} polls: {@code initial} after the first read, doubling to {@code max}. */
        public Builder polling(Duration initial, Duration max) {
            this.pollInitial = positive(initial, "polling initial");
            this.pollMax = positive(max, "polling max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("polling max " + max + " is below its initial " + initial);
            }
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Numbers in [0, 1) for jitter. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Where creates' {@code Idempotency-Key}s come from when a call gives none. */
        public Builder idempotencyKeys(Supplier<String> keys) {
            this.idempotencyKeys = Objects.requireNonNull(keys, "idempotencyKeys");
            return this;
        }

        public CreativeAiClient build() {
            if (baseUrl == null || !(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
                throw new IllegalStateException("baseUrl is required: the API's http(s) address, not " + baseUrl);
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("apiKey is required");
            }
            return new CreativeAiClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + duration);
            }
            return duration;
        }
    }
}
