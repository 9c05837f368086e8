package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbHealthCounters;
import run.creativeai.gateway.adapters.metrics.GatewayMetrics;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * What an operator relies on in template.yaml beyond what CloudFormation's schemas check: every
 * queue is watched, the dashboard is valid JSON that names only metrics the functions publish, and
 * every function runs with tracing, SnapStart, arm64 and the metrics namespace, and keeps as many
 * connections per host as its fan-outs use.
 */
class OperationsTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEARCH_METRIC = Pattern.compile("MetricName=\\\\?\"(\\w+)\\\\?\"");
    private static final Pattern INSIGHTS_METRIC = Pattern.compile("SELECT \\w+\\((\\w+)\\)");
    /** Lambda's default concurrency per account and region. */
    private static final int ACCOUNT_CONCURRENCY = 1_000;
    /** What one DynamoDB partition takes. */
    private static final int PARTITION_WRITES_PER_SECOND = 1_000;
    private final Template template = Template.load(Path.of(System.getProperty("project.root"), "template.yaml"));

    private List<Map<String, Object>> alarms() {
        List<Map<String, Object>> alarms = new ArrayList<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").forEach(a -> alarms.add(a.properties()));
        return alarms;
    }

    private static String refOf(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("Fn::GetAtt")) {
            Object target = map.get("Fn::GetAtt");
            return target instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(target).split("\\.")[0];
        }
        return String.valueOf(value);
    }

    private Set<String> queuesAlarmedOn(String metric) {
        Set<String> queues = new HashSet<>();
        for (Map<String, Object> alarm : alarms()) {
            if (metric.equals(alarm.get("MetricName"))) {
                for (Object dimension : (List<?>) alarm.get("Dimensions")) {
                    queues.add(refOf(((Map<?, ?>) dimension).get("Value")));
                }
            }
        }
        return queues;
    }

    @Test
    void everyDeadLetterQueueAlarmsWhenNotEmptyAndEveryOtherQueueOnTheAgeOfItsOldestMessage() {
        Set<String> deadLetterQueues = new HashSet<>();
        Set<String> workQueues = new HashSet<>();
        for (Template.Resource queue : template.resourcesOfType("AWS::SQS::Queue")) {
            queue.property("RedrivePolicy").ifPresentOrElse(policy -> {
                workQueues.add(queue.logicalId());
                deadLetterQueues.add(refOf(((Map<?, ?>) policy).get("deadLetterTargetArn")));
            }, () -> { });
        }
        assertThat(workQueues).hasSizeGreaterThanOrEqualTo(5);
        assertThat(queuesAlarmedOn("ApproximateNumberOfMessagesVisible")).as("dead-letter queues with an alarm")
                .containsExactlyInAnyOrderElementsOf(deadLetterQueues);
        assertThat(queuesAlarmedOn("ApproximateAgeOfOldestMessage")).as("queues with an oldest-message alarm")
                .containsExactlyInAnyOrderElementsOf(workQueues);
    }

    @Test
    void theApiErrorRateTheCircuitsAndTheWebhookFailureRateHaveAlarmsOnMetricsThatExist() {
        String metricsOfAlarms = JSON.valueToTree(alarms()).toString();
        assertThat(metricsOfAlarms).contains("\"MetricName\":\"5xx\"").contains("CircuitOpen")
                .contains("WebhookFailures").contains("WebhookAttempts");
        assertThat(namedMetrics(metricsOfAlarms)).isSubsetOf(GatewayMetrics.NAMES);
        for (Map<String, Object> alarm : alarms()) {
            assertThat(alarm).as("every alarm notifies the alarm topic").containsKey("AlarmActions");
        }
    }

    @Test
    void theDashboardIsValidJsonAndNamesOnlyMetricsTheFunctionsPublish() throws Exception {
        Template.Resource dashboard = template.resourcesOfType("AWS::CloudWatch::Dashboard").get(0);
        String body = String.valueOf(((Map<?, ?>) dashboard.property("DashboardBody").orElseThrow()).get("Fn::Sub"));
        // Every ${...} of the Fn::Sub is a parameter, a pseudo parameter or a resource of the template.
        Matcher variable = Pattern.compile("\\$\\{([^}]+)}").matcher(body);
        while (variable.find()) {
            String name = variable.group(1).split("\\.")[0];
            assertThat(name.startsWith("AWS::") || template.resource(name).isPresent()
                    || template.parameters().containsKey(name)).as("${%s} names something", variable.group(1)).isTrue();
        }
        JsonNode parsed = JSON.readTree(body.replaceAll("\\$\\{[^}]+}", "x"));
        assertThat(parsed.path("widgets").size()).isGreaterThan(8);
        Set<String> named = namedMetrics(body);
        assertThat(named).isSubsetOf(GatewayMetrics.NAMES).contains(GatewayMetrics.REFUSED, GatewayMetrics.QUEUE_WAIT,
                GatewayMetrics.PROVIDER_LATENCY, GatewayMetrics.PROVIDER_ERRORS, GatewayMetrics.CIRCUIT_OPEN,
                GatewayMetrics.FAILOVERS, GatewayMetrics.WEBHOOK_ATTEMPTS);
    }

    @Test
    void everyFunctionIsTracedSnapStartedOnArmAndPublishesToTheStacksNamespace() {
        for (SamFunction function : SamFunction.all(template)) {
            Map<String, Object> properties = function.properties();
            assertThat(properties.get("Tracing")).as(function.logicalId()).isEqualTo("Active");
            assertThat(properties.get("Architectures")).as(function.logicalId()).isEqualTo(List.of("arm64"));
            assertThat(properties.get("SnapStart")).as(function.logicalId()).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat(properties).as(function.logicalId()).containsKey("AutoPublishAlias");
            assertThat(function.environment()).as(function.logicalId()).containsKey(Components.METRICS_NAMESPACE);
        }
    }

    @Test
    void everyFunctionKeepsAsManyConnectionsPerHostAsItsWidestFanOutUses() {
        // Fewer, and a wide round (a status run's first, a reconciler sweep) would open connections only to close them.
        for (SamFunction function : SamFunction.all(template)) {
            assertThat(String.valueOf(function.environment().get("JAVA_TOOL_OPTIONS")).split("\\s+")).as(function.logicalId())
                    .contains("-Dhttp.maxConnections=" + ConcurrentCalls.LANES);
        }
    }

    @Test
    void everyFunctionKeepsAnIdleConnectionPastTheIntervalOfEveryScheduledRun() {
        // The JDK's own 5 s, and every warm call after a pause longer than that, every scheduled run
        // among them, would open a new TLS connection to each service it calls.
        long longestSchedule = SamFunction.all(template).stream().flatMap(f -> f.schedules().stream())
                .map(schedule -> schedule.rate().orElseThrow(() -> new AssertionError("not a rate: " + schedule.schedule())))
                .mapToLong(Duration::toSeconds).max().orElseThrow();
        for (SamFunction function : SamFunction.all(template)) {
            String options = String.valueOf(function.environment().get("JAVA_TOOL_OPTIONS"));
            Matcher keepAlive = Pattern.compile("-Dhttp\\.keepAlive\\.time\\.server=(\\d+)")
                    .matcher(options);
            assertThat(keepAlive.find()).as(function.logicalId() + ": " + options).isTrue();
            assertThat(Long.parseLong(keepAlive.group(1))).as(function.logicalId()).isGreaterThan(longestSchedule);
        }
    }

    @Test
    void theWebhookFunctionsInstancesTurningTheMinuteTogetherWriteTheirHealthCounterWithinHalfAPartition() {
        // Every instance adds its minute's webhook attempts when the minute ends: as many writes in that
        // second as instances run, spread over the signal's shards. Without a ceiling on the mapping, the
        // account's 1,000.
        SamFunction webhook = SamFunction.all(template).stream().filter(f -> f.logicalId().equals("WebhookFunction"))
                .findFirst().orElseThrow();
        int instances = webhook.queues().stream().mapToInt(q -> q.maximumConcurrency().orElse(ACCOUNT_CONCURRENCY)).sum();
        assertThat(instances / DynamoDbHealthCounters.shards(HealthSignal.WEBHOOK_ATTEMPTS))
                .as("writes a second to one partition of the webhook attempts' counter (a partition takes 1,000)")
                .isLessThanOrEqualTo(PARTITION_WRITES_PER_SECOND / 2);
    }

    @Test
    void samconfigDeploysThisTemplateWithTheCapabilitiesItNeedsAndOnlyItsParameters() throws Exception {
        String samconfig = java.nio.file.Files.readString(Path.of(System.getProperty("project.root"), "samconfig.toml"));
        Matcher overrides = Pattern.compile("(?m)^parameter_overrides = \"(.*)\"$").matcher(samconfig);
        assertThat(overrides.find()).as("samconfig.toml sets parameter_overrides").isTrue();
        for (String pair : overrides.group(1).split(" ")) {
            assertThat(template.parameters()).as("parameter %s of samconfig.toml", pair).containsKey(pair.split("=")[0]);
        }
        assertThat(samconfig).contains("region = ").contains("resolve_s3 = true");
        if (!template.resourcesOfType("AWS::IAM::Role").isEmpty()) {
            assertThat(samconfig).as("the template creates IAM roles").contains("CAPABILITY_IAM");
        }
        for (SamFunction function : SamFunction.all(template)) {
            Object metadata = template.resource(function.logicalId()).orElseThrow().body().get("Metadata");
            assertThat(metadata).as("%s: sam build copies the jar Maven built", function.logicalId()).isEqualTo(Map.of("SkipBuild", true));
        }
    }

    private static Set<String> namedMetrics(String text) {
        Set<String> names = new HashSet<>();
        for (Pattern pattern : List.of(SEARCH_METRIC, INSIGHTS_METRIC)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        // Metrics of the stack's own namespace named directly in alarms.
        Matcher direct = Pattern.compile("\"MetricName\":\"(\\w+)\"").matcher(text);
        while (direct.find()) {
            if (!Set.of("5xx", "Count", "ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage")
                    .contains(direct.group(1))) {
                names.add(direct.group(1));
            }
        }
        return names;
    }
}
