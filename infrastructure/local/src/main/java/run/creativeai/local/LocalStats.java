package run.creativeai.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.adapters.metrics.EmbeddedMetrics;
import run.creativeai.gateway.adapters.metrics.GatewayMetrics;
import run.creativeai.gateway.adapters.metrics.MetricDocument;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.local.runtime.TemplateRuntime;
import run.creativeai.local.services.SimulatedProviders;
import run.creativeai.template.Template;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code GET /_local/stats}: the local cloud's live counters, and {@code GET /_local/} the page that
 * shows them. Queue depths come from the queues, jobs in flight from the jobs table, circuits from
 * the circuits table, and every other counter from the same metric documents the functions write
 * for CloudWatch (admissions and refusals, provider calls, job endings, webhook outcomes). Local
 * only; nothing like it exists in template.yaml.
 */
final class LocalStats implements HttpHandler, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Template template;
    private final TemplateRuntime runtime;
    private final SimulatedProviders providers;
    private final Components components;
    private final CircuitBreaker circuits;
    private final Clock clock;
    /** Sum of each metric per its dimension values, e.g. {@code Refused|Rule=plan_requests_per_minute}. */
    private final ConcurrentMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Consumer<MetricDocument> tap = this::count;

    LocalStats(Template template, TemplateRuntime runtime, SimulatedProviders providers, Components components, Clock clock) {
        this.template = template;
        this.runtime = runtime;
        this.providers = providers;
        this.components = components;
        this.circuits = Adapters.circuits(components);
        this.clock = clock;
        EmbeddedMetrics.tap(tap);
    }

    private void count(MetricDocument document) {
        for (MetricDocument.Value value : document.values()) {
            if (value.unit().equals("Count")) {
                // Under the document's most detailed dimension set, which is what the page breaks counts down by.
                List<String> detail = document.dimensionSets().stream().reduce((a, b) -> b.size() > a.size() ? b : a)
                        .orElse(List.of());
                StringBuilder key = new StringBuilder(value.name());
                detail.forEach(d -> key.append('|').append(document.dimensions().get(d)));
                counters.computeIfAbsent(key.toString(), k -> new LongAdder()).add((long) value.value());
            }
        }
    }

    /** The current counters as the stats route answers them. */
    ObjectNode snapshot() {
        ObjectNode stats = JSON.createObjectNode();
        stats.put("at", clock.instant().toString());
        ObjectNode queues = stats.putObject("queues");
        for (Template.Resource queue : template.resourcesOfType("AWS::SQS::Queue")) {
            Map<QueueAttributeName, String> attributes = runtime.sqs().getQueueAttributes(b -> b
                    .queueUrl(runtime.resources().queueUrl(queue.logicalId()))
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            queues.putObject(queue.logicalId())
                    .put("waiting", number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
                    .put("in_flight", number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
                    .put("delayed", number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
        }
        stats.set("jobs_in_flight", jobsInFlight());

        ObjectNode health = stats.putObject("providers");
        JsonNode simulated = providers.describeAll();
        for (String name : providers.names()) {
            CircuitBreaker.CircuitStatus circuit = circuits.status(name, clock.instant());
            ObjectNode provider = health.putObject(name)
                    .put("circuit", circuit.name().toLowerCase(Locale.ROOT))
                    .put("calls", counter(GatewayMetrics.PROVIDER_CALLS, name))
                    .put("errors", counter(GatewayMetrics.PROVIDER_ERRORS, name));
            provider.set("simulated", simulated.path(name));
        }
        stats.set("admitted", counted(GatewayMetrics.ADMITTED));
        stats.set("refused", counted(GatewayMetrics.REFUSED));
        stats.set("webhooks", counted(GatewayMetrics.WEBHOOK_ATTEMPTS));
        stats.set("jobs_ended", counted(GatewayMetrics.JOBS_ENDED));
        stats.put("failovers", counted(GatewayMetrics.FAILOVERS).properties().stream()
                .mapToLong(e -> e.getValue().asLong()).sum());
        return stats;
    }

    /** Jobs admitted and not yet ended, per tier (queued, or running on a provider). */
    private ObjectNode jobsInFlight() {
        ObjectNode perTier = JSON.createObjectNode();
        for (Tier tier : Tier.values()) {
            ObjectNode counts = perTier.putObject(tier.wireName());
            for (JobStatus status : JobStatus.values()) {
                if (!status.isTerminal()) {
                    counts.put(status.wireName(), 0);
                }
            }
        }
        String table = components.environment().required(Components.JOBS_TABLE);
        runtime.dynamoDb().scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
            try {
                Job job = DynamoDbJobStore.read(item);
                JsonNode tier = perTier.path(job.tier().wireName());
                if (!job.status().isTerminal() && tier instanceof ObjectNode counts) {
                    counts.put(job.status().wireName(), counts.path(job.status().wireName()).asLong() + 1);
                }
            } catch (RuntimeException e) {
                // A document this page cannot read is not counted; the functions report it themselves.
            }
        });
        return perTier;
    }

    private ObjectNode counted(String metric) {
        ObjectNode node = JSON.createObjectNode();
        counters.forEach((key, sum) -> {
            String[] parts = key.split("\\|", -1);
            if (parts[0].equals(metric)) {
                String label = parts.length > 1 ? String.join(" ", java.util.Arrays.copyOfRange(parts, 1, parts.length)) : "all";
                node.put(label, node.path(label).asLong() + sum.sum());
            }
        });
        return node;
    }

    private long counter(String metric, String firstDimension) {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "|" + firstDimension + "|")
                || e.getKey().equals(metric + "|" + firstDimension)).mapToLong(e -> e.getValue().sum()).sum();
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "application/json", "{\"error\":{\"message\":\"use GET\"}}".getBytes());
            } else if (path.equals("/_local/stats")) {
                send(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot()));
            } else if (path.equals("/_local/")) {
                try (InputStream page = LocalStats.class.getResourceAsStream("stats.html")) {
                    send(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
                }
            } else {
                send(exchange, 404, "application/json",
                        "{\"error\":{\"message\":\"local routes: /_local/, /_local/stats, /_local/providers, /_local/webhooks\"}}"
                                .getBytes());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        EmbeddedMetrics.untap(tap);
    }
}
