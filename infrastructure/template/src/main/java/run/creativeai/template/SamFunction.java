package run.creativeai.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code AWS::Serverless::Function} as SAM interprets it: the Lambda function it becomes, the
 * HTTP routes, SQS event sources and schedules it subscribes to. The local runtime runs exactly this reading,
 * and the validator checks the CloudFormation resources it translates to, so the two never disagree.
 *
 * @param environment the {@code Environment.Variables} map, intrinsics not yet resolved
 */
public record SamFunction(
        String logicalId,
        String handler,
        String codeUri,
        int memoryMb,
        int timeoutSeconds,
        Map<String, Object> environment,
        List<HttpRoute> routes,
        List<SqsEventSource> queues,
        List<ScheduleEvent> schedules,
        Map<String, Object> properties) {

    /** SAM properties that do not pass straight to {@code AWS::Lambda::Function} under the same name. */
    static final Set<String> SAM_ONLY = Set.of("CodeUri", "InlineCode", "Tracing", "DeadLetterQueue", "Tags", "Events",
            "AutoPublishAlias", "AutoPublishCodeSha256", "VersionDescription", "Policies");
    /** SAM features this project neither uses nor interprets; a template using them is refused. */
    static final Set<String> NOT_INTERPRETED = Set.of("DeploymentPreference", "FunctionUrlConfig", "EventInvokeConfig",
            "ProvisionedConcurrencyConfig", "AssumeRolePolicyDocument", "PermissionsBoundary", "ImageUri");

    /** An {@code HttpApi} event: a route of the HTTP API. */
    public record HttpRoute(String eventName, String method, String path, Map<String, Object> properties) {
        /** The route key API Gateway matches and reports, e.g. {@code GET /v1/generations/{id}}. */
        public String routeKey() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }

    /**
     * An {@code SQS} event: an event source mapping.
     *
     * @param queue the {@code Queue} value (an ARN, usually {@code !GetAtt X.Arn}), unresolved
     */
    public record SqsEventSource(String eventName, Object queue, int batchSize, int maximumBatchingWindowSeconds,
            boolean reportBatchItemFailures, Optional<Integer> maximumConcurrency, boolean enabled,
            Map<String, Object> properties) {

        /** The logical id of the queue when {@code Queue} is {@code !GetAtt X.Arn}. */
        public Optional<String> queueLogicalId() {
            if (queue instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2
                    && "Arn".equals(parts.get(1))) {
                return Optional.of(String.valueOf(parts.get(0)));
            }
            return Optional.empty();
        }
    }

    /**
     * A {@code Schedule} event: an EventBridge rule that invokes the function on a schedule.
     *
     * @param schedule the {@code Schedule} expression, {@code rate(...)} or {@code cron(...)}
     * @param input    the {@code Input} JSON the rule sends instead of the scheduled event, when set
     */
    public record ScheduleEvent(String eventName, String schedule, boolean enabled, Optional<String> input,
            Map<String, Object> properties) {
        private static final java.util.regex.Pattern RATE =
                java.util.regex.Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

        /**
         * The interval of a {@code rate(N unit)} schedule (EventBridge's form: a singular unit for 1,
         * plural otherwise); empty for anything else, such as a {@code cron(...)} expression.
         */
        public Optional<java.time.Duration> rate() {
            java.util.regex.Matcher m = RATE.matcher(schedule.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2);
            if (n < 1 || (n == 1) != !unit.endsWith("s")) {
                return Optional.empty();
            }
            return Optional.of(switch (unit.replaceAll("s$", "")) {
                case "minute" -> java.time.Duration.ofMinutes(n);
                case "hour" -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofDays(n);
            });
        }
    }

    public static List<SamFunction> all(Template template) {
        List<SamFunction> functions = new ArrayList<>();
        for (Template.Resource resource : template.resourcesOfType(Template.SAM_FUNCTION)) {
            functions.add(read(resource));
        }
        return functions;
    }

    static SamFunction read(Template.Resource resource) {
        String where = "Resources." + resource.logicalId();
        Map<String, Object> p = resource.properties();
        List<HttpRoute> routes = new ArrayList<>();
        List<SqsEventSource> queues = new ArrayList<>();
        List<ScheduleEvent> schedules = new ArrayList<>();
        Maps.map(p.get("Events"), where + ".Events").forEach((name, value) -> {
            Map<String, Object> event = Maps.map(value, where + ".Events." + name);
            Map<String, Object> props = Maps.map(event.get("Properties"), where + ".Events." + name + ".Properties");
            String type = String.valueOf(event.get("Type"));
            switch (type) {
                case "HttpApi" -> routes.add(new HttpRoute(name, String.valueOf(props.getOrDefault("Method", "ANY")),
                        String.valueOf(props.getOrDefault("Path", "/{proxy+}")), props));
                case "SQS" -> queues.add(new SqsEventSource(name, props.get("Queue"),
                        integer(props.get("BatchSize"), 10),
                        integer(props.get("MaximumBatchingWindowInSeconds"), 0),
                        Maps.list(props.get("FunctionResponseTypes"), "FunctionResponseTypes")
                                .contains("ReportBatchItemFailures"),
                        Optional.ofNullable(Maps.map(props.get("ScalingConfig"), "ScalingConfig").get("MaximumConcurrency"))
                                .map(v -> integer(v, 1000)),
                        !Boolean.FALSE.equals(props.get("Enabled")) && !"false".equals(props.get("Enabled")),
                        props));
                case "Schedule" -> schedules.add(new ScheduleEvent(name, String.valueOf(props.get("Schedule")),
                        !Boolean.FALSE.equals(props.get("Enabled")) && !"false".equals(props.get("Enabled"))
                                && !"DISABLED".equals(props.get("State")),
                        Optional.ofNullable(props.get("Input")).map(String::valueOf), props));
                default -> throw new TemplateException(where + ".Events." + name + ": event type " + type
                        + " is not interpreted by this project's runtime");
            }
        });
        return new SamFunction(resource.logicalId(),
                String.valueOf(p.get("Handler")),
                String.valueOf(p.get("CodeUri")),
                integer(p.get("MemorySize"), 128),
                integer(p.get("Timeout"), 3),
                Maps.map(Maps.map(p.get("Environment"), where + ".Environment").get("Variables"),
                        where + ".Environment.Variables"),
                routes, queues, schedules, p);
    }

    /** The {@code AWS::Lambda::Function} properties SAM generates from this function. */
    public Map<String, Object> lambdaFunctionProperties() {
        Map<String, Object> lambda = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (!SAM_ONLY.contains(name) && !NOT_INTERPRETED.contains(name)) {
                lambda.put(name, value);
            }
        });
        if (properties.containsKey("InlineCode")) {
            lambda.put("Code", Map.of("ZipFile", properties.get("InlineCode")));
        } else {
            // sam deploy uploads CodeUri and writes its S3 location here.
            lambda.put("Code", Map.of("S3Bucket", "sam-artifacts", "S3Key", codeUri));
        }
        if (properties.containsKey("Tracing")) {
            lambda.put("TracingConfig", Map.of("Mode", properties.get("Tracing")));
        }
        if (properties.get("DeadLetterQueue") instanceof Map<?, ?> dlq) {
            lambda.put("DeadLetterConfig", Map.of("TargetArn", dlq.get("TargetArn")));
        }
        if (properties.get("Tags") instanceof Map<?, ?> tags) {
            List<Object> list = new ArrayList<>();
            tags.forEach((k, v) -> list.add(Map.of("Key", k, "Value", v)));
            lambda.put("Tags", list);
        }
        if (!lambda.containsKey("Role")) {
            lambda.put("Role", Map.of("Fn::GetAtt", List.of(logicalId + "Role", "Arn")));
        }
        return lambda;
    }

    /** SAM features present on this function that this project does not interpret. */
    public List<String> uninterpretedProperties() {
        return properties.keySet().stream().filter(NOT_INTERPRETED::contains).sorted().toList();
    }

    static int integer(Object value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
