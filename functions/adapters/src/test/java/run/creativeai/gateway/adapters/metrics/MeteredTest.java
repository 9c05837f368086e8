package run.creativeai.gateway.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.CircuitTransition;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderClient;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.WebhookTransport;

/** What CloudWatch would extract from the lines the metered ports write: structure and values. */
class MeteredTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "CreativeAI/test-stack";

    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final List<String> lines = new ArrayList<>();
    private final GatewayMetrics metrics = new GatewayMetrics(new EmbeddedMetrics(NAMESPACE, lines::add, clock));

    /** Parses the only line written and checks it is a valid EMF document; returns it. */
    private JsonNode onlyDocument() throws Exception {
        assertThat(lines).hasSize(1);
        return emf(lines.get(0));
    }

    private JsonNode emf(String line) throws Exception {
        JsonNode root = JSON.readTree(line);
        JsonNode aws = root.path("_aws");
        assertThat(aws.path("Timestamp").asLong()).as("written at the clock's time")
                .isBetween(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli(), clock.millis());
        assertThat(aws.path("CloudWatchMetrics")).hasSize(1);
        JsonNode directive = aws.path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo(NAMESPACE);
        for (JsonNode set : directive.path("Dimensions")) {
            for (JsonNode dimension : set) {
                assertThat(root.path(dimension.asText()).isTextual()).as("dimension %s has a string value", dimension).isTrue();
            }
        }
        for (JsonNode metric : directive.path("Metrics")) {
            assertThat(root.path(metric.path("Name").asText()).isNumber()).as("metric %s has a value", metric).isTrue();
            assertThat(metric.path("Unit").asText()).isIn("Count", "Milliseconds");
        }
        return root;
    }

    private static List<List<String>> dimensions(JsonNode document) {
        List<List<String>> sets = new ArrayList<>();
        document.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").forEach(set ->
                sets.add(StreamSupport.stream(set.spliterator(), false).map(JsonNode::asText).toList()));
        return sets;
    }

    private static Map<String, String> units(JsonNode document) {
        Map<String, String> units = new java.util.LinkedHashMap<>();
        document.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")
                .forEach(m -> units.put(m.path("Name").asText(), m.path("Unit").asText()));
        return units;
    }

    @Test
    void aRefusalIsCountedUnderTheRuleThatRefused() throws Exception {
        RateLimitRule rule = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 10, Duration.ofMinutes(1),
                RateLimitRule.CountedPer.KEY);
        LimitState full = new LimitState(rule, 10, clock.instant().plusSeconds(30));
        Limiter refusing = fixed(new AdmissionDecision.Refused(full, List.of(full)));

        Metered.limiter(refusing, metrics).admit(List.of(new LimitCharge(rule, "key_1", 1)), clock.instant());

        JsonNode document = onlyDocument();
        assertThat(dimensions(document)).containsExactly(List.of(), List.of("Rule"));
        assertThat(units(document)).containsExactly(Map.entry("Refused", "Count"));
        assertThat(document.path("Rule").asText()).isEqualTo("plan_requests_per_minute");
        assertThat(document.path("Refused").asLong()).isEqualTo(1);
    }

    @Test
    void anAdmissionIsCountedAsACreateOrARead() throws Exception {
        RateLimitRule reads = RateLimitRule.fixed(AdmissionPolicy.READS_PER_MINUTE, RateLimitRule.Unit.READS, 120,
                Duration.ofMinutes(1), RateLimitRule.CountedPer.KEY);
        Limiter admitting = fixed(new AdmissionDecision.Admitted(List.of()));

        Metered.limiter(admitting, metrics).admit(List.of(new LimitCharge(reads, "key_1", 1)), clock.instant());

        JsonNode document = onlyDocument();
        assertThat(dimensions(document)).containsExactly(List.of(), List.of("Request"));
        assertThat(document.path("Request").asText()).isEqualTo("read");
        assertThat(document.path("Admitted").asLong()).isEqualTo(1);
    }

    @Test
    void aProviderCallRecordsItsLatencyAndWhetherTheProviderFailedIt() throws Exception {
        ProviderClient slowAndDown = new ProviderClient() {
            @Override
            public SubmitOutcome submit(ProviderRequest request) {
                clock.advance(Duration.ofMillis(840));
                return new SubmitOutcome.Unavailable(Unavailability.SERVER_ERROR, "503");
            }

            @Override
            public ProgressOutcome progress(ProviderJobRef ref) {
                clock.advance(Duration.ofMillis(35));
                return new ProgressOutcome.InProgress();
            }

            @Override
            public CancelOutcome cancel(ProviderJobRef ref) {
                return new CancelOutcome.Canceled();
            }
        };
        ProviderClient metered = Metered.providers(name -> slowAndDown, metrics, clock).clientFor("seedream");

        metered.submit(null);
        metered.progress(new ProviderJobRef("fal-ai/seedream", "req_1"));

        JsonNode submit = emf(lines.get(0));
        assertThat(dimensions(submit)).containsExactly(List.of("Provider"), List.of("Provider", "Operation"));
        assertThat(units(submit)).containsExactly(Map.entry("ProviderCalls", "Count"), Map.entry("ProviderErrors", "Count"),
                Map.entry("ProviderLatency", "Milliseconds"));
        assertThat(submit.path("Provider").asText()).isEqualTo("seedream");
        assertThat(submit.path("Operation").asText()).isEqualTo("submit");
        assertThat(submit.path("ProviderLatency").asLong()).isEqualTo(840);
        assertThat(submit.path("ProviderErrors").asLong()).isEqualTo(1);
        JsonNode progress = emf(lines.get(1));
        assertThat(progress.path("Operation").asText()).isEqualTo("progress");
        assertThat(progress.path("ProviderLatency").asLong()).isEqualTo(35);
        assertThat(progress.path("ProviderErrors").asLong()).isZero();
    }

    @Test
    void aRefusedCallReportsTheCircuitOpenAndAnAllowedOneClosed() throws Exception {
        CircuitBreaker circuits = Metered.circuits(new CircuitBreaker() {
            @Override
            public Permission acquire(String provider, Instant now) {
                return provider.equals("flux") ? Permission.DENIED : Permission.ALLOWED;
            }

            @Override
            public CircuitTransition succeeded(String provider, Instant now) {
                return CircuitTransition.UNCHANGED;
            }

            @Override
            public CircuitTransition failed(String provider, Unavailability kind, Instant now) {
                return CircuitTransition.UNCHANGED;
            }

            @Override
            public CircuitStatus status(String provider, Instant now) {
                return CircuitStatus.CLOSED;
            }

            @Override
            public CircuitState describe(String provider, Instant now) {
                return CircuitState.closed();
            }
        }, metrics);

        assertThat(circuits.acquire("flux", clock.instant())).isEqualTo(CircuitBreaker.Permission.DENIED);
        circuits.acquire("sdxl", clock.instant());

        JsonNode open = emf(lines.get(0));
        assertThat(dimensions(open)).containsExactly(List.of("Provider"));
        assertThat(open.path("Provider").asText()).isEqualTo("flux");
        assertThat(open.path("CircuitOpen").asLong()).isEqualTo(1);
        assertThat(emf(lines.get(1)).path("CircuitOpen").asLong()).isZero();
    }

    @Test
    void anEndedJobRecordsItsQueueWaitAndFailoverAndWhichModelRanIt() throws Exception {
        Instant admitted = clock.instant();
        Job job = Jobs.queuedImage("seedream", admitted)
                .beginAttempt("seedream", "seedream", admitted.plusMillis(1500))
                .attemptEnded(AttemptOutcome.UNAVAILABLE, "down", admitted.plusMillis(1600))
                .beginAttempt("flux", "flux", admitted.plusMillis(1700))
                .succeed(List.of(Output.of("https://cdn/x.png", "image/png")), admitted.plusSeconds(5));
        List<Job> handled = new ArrayList<>();

        Metered.jobEndings(handled::add, metrics).ended(job);

        assertThat(handled).as("the ending is still handled").containsExactly(job);
        JsonNode document = onlyDocument();
        assertThat(dimensions(document)).containsExactly(List.of("Tier"), List.of("Tier", "Status"));
        assertThat(units(document)).containsEntry("QueueWait", "Milliseconds").containsEntry("Failovers", "Count");
        assertThat(document.path("Tier").asText()).isEqualTo("pro");
        assertThat(document.path("Status").asText()).isEqualTo("succeeded");
        assertThat(document.path("QueueWait").asLong()).isEqualTo(1500);
        assertThat(document.path("Failovers").asLong()).isEqualTo(1);
        assertThat(document.path("job_id").asText()).isEqualTo(job.id().value());
        assertThat(document.path("model_actual").asText()).isEqualTo("flux");
        assertThat(document.path("failover_used").asText()).isEqualTo("true");
    }

    @Test
    void webhookAttemptsAreCountedWithTheirOutcome() throws Exception {
        List<WebhookTransport.Response> answers = new ArrayList<>(List.of(
                new WebhookTransport.Response(Optional.of(503), Optional.empty(), Duration.ofMillis(120)),
                new WebhookTransport.Response(Optional.empty(), Optional.of("connect timed out"), Duration.ofSeconds(10)),
                new WebhookTransport.Response(Optional.of(204), Optional.empty(), Duration.ofMillis(80))));
        WebhookTransport transport = Metered.webhookTransport((url, headers, body, timeout) -> answers.remove(0), metrics);

        for (int i = 0; i < 3; i++) {
            transport.post(URI.create("https://example.com/hook"), Map.of(), new byte[0], Duration.ofSeconds(10));
        }

        List<JsonNode> documents = new ArrayList<>();
        for (String line : lines) {
            documents.add(emf(line));
        }
        assertThat(dimensions(documents.get(0))).containsExactly(List.of(), List.of("Outcome"));
        assertThat(documents).extracting(d -> d.path("Outcome").asText()).containsExactly("http_5xx", "no_response", "delivered");
        assertThat(documents).extracting(d -> d.path("WebhookFailures").asLong()).containsExactly(1L, 1L, 0L);
        assertThat(documents).extracting(d -> d.path("WebhookAttempts").asLong()).containsExactly(1L, 1L, 1L);
        assertThat(documents.get(2).path("WebhookLatency").asLong()).isEqualTo(80);
    }

    @Test
    void aTapSeesEveryDocumentAsItIsWritten() {
        List<MetricDocument> seen = new ArrayList<>();
        java.util.function.Consumer<MetricDocument> tap = seen::add;
        EmbeddedMetrics.tap(tap);
        try {
            metrics.circuit("kling", true);
        } finally {
            EmbeddedMetrics.untap(tap);
        }
        metrics.circuit("kling", false);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).value(GatewayMetrics.CIRCUIT_OPEN)).isEqualTo(1);
        assertThat(seen.get(0).dimensions()).containsEntry("Provider", "kling");
    }

    private static Limiter fixed(AdmissionDecision decision) {
        return new Limiter() {
            @Override
            public AdmissionDecision admit(List<LimitCharge> charges,
                    java.util.Optional<run.creativeai.gateway.limits.CreditReservation> credits, Instant now) {
                return decision;
            }

            @Override
            public List<LimitState> peek(List<LimitCharge> charges, Instant now) {
                return List.of();
            }
        };
    }
}
