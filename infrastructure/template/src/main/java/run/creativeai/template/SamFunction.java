package run.creativeai.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code AWS::Serverless::Function} as SAM interprets it: the Lambda function it becomes, the
 * HTTP routes, SQS event sources and schedules it subscribes to. The local runtime runs exactly this
 * reading, so a SAM feature it would not honour is refused here rather than silently left out.
 *
 * @param environment the {@code Environment.Variables} map, intrinsics not yet resolved
 * @param url         its {@code FunctionUrlConfig}: a public HTTPS endpoint of its own, outside the HTTP API
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
        Optional<FunctionUrl> url,
        Map<String, Object> properties) {

    /**
     * The function's jar: the one its package ({@code CodeUri}, {@code target/<name>.zip}) holds under
     * {@code lib/}, as Maven leaves it beside the package ({@code target/<name>.jar}).
     */
    public String jar() {
        if (!codeUri.endsWith(".zip")) {
            throw new IllegalStateException(logicalId + ": CodeUri " + codeUri + " is not a function package (.zip)");
        }
        return codeUri.substring(0, codeUri.length() - ".zip".length()) + ".jar";
    }

    /** SAM features this project neither uses nor interprets; a template using them is refused. */
    static final Set<String> NOT_INTERPRETED = Set.of("DeploymentPreference", "EventInvokeConfig",
            "ProvisionedConcurrencyConfig", "AssumeRolePolicyDocument", "PermissionsBoundary", "ImageUri");
    /** HttpApi event properties the local gateway honours; an authorizer or route settings would not be. */
    static final Set<String> HTTP_EVENT_PROPERTIES = Set.of("ApiId", "Method", "Path", "PayloadFormatVersion",
            "TimeoutInMillis");
    /** Schedule event properties the local runtime honours; a retry policy or dead-letter queue would not be. */
    static final Set<String> SCHEDULE_EVENT_PROPERTIES = Set.of("Schedule", "Name", "Description", "Enabled", "State",
            "Input");

    /**
     * A function URL ({@code FunctionUrlConfig}): every request to it, whatever its method and path,
     * invokes the function with a payload format 2.0 event whose route key is {@code $default}. Only
     * {@code AuthType: NONE} with buffered responses is interpreted: the local runtime signs no
     * requests and streams no responses, so IAM auth, CORS or streaming would not be reproduced.
     */
    public record FunctionUrl(String functionLogicalId) {
        static final Set<String> PROPERTIES = Set.of("AuthType", "InvokeMode");

        /** The {@code AWS::Lambda::Url} resource SAM generates for it, whose {@code FunctionUrl} attribute is the URL. */
        public String logicalId() {
            return functionLogicalId + "Url";
        }

        static Optional<FunctionUrl> read(String functionLogicalId, Object config, String where) {
            if (config == null) {
                return Optional.empty();
            }
            Map<String, Object> p = Maps.map(config, where);
            Template.refuseUninterpreted(p, PROPERTIES::contains, where);
            if (!"NONE".equals(p.get("AuthType"))) {
                throw new TemplateException(where + ".AuthType: only NONE is interpreted by this project's runtime, not "
                        + p.get("AuthType"));
            }
            if (p.containsKey("InvokeMode") && !"BUFFERED".equals(p.get("InvokeMode"))) {
                throw new TemplateException(where + ".InvokeMode: only BUFFERED is interpreted by this project's runtime, not "
                        + p.get("InvokeMode"));
            }
            return Optional.of(new FunctionUrl(functionLogicalId));
        }
    }

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
        Template.refuseUninterpreted(p, feature -> !NOT_INTERPRETED.contains(feature), where);
        List<HttpRoute> routes = new ArrayList<>();
        List<SqsEventSource> queues = new ArrayList<>();
        List<ScheduleEvent> schedules = new ArrayList<>();
        Maps.map(p.get("Events"), where + ".Events").forEach((name, value) -> {
            Map<String, Object> event = Maps.map(value, where + ".Events." + name);
            Map<String, Object> props = Maps.map(event.get("Properties"), where + ".Events." + name + ".Properties");
            String type = String.valueOf(event.get("Type"));
            String at = where + ".Events." + name + ".Properties";
            switch (type) {
                case "HttpApi" -> {
                    Template.refuseUninterpreted(props, HTTP_EVENT_PROPERTIES::contains, at);
                    routes.add(new HttpRoute(name, String.valueOf(props.getOrDefault("Method", "ANY")),
                            String.valueOf(props.getOrDefault("Path", "/{proxy+}")), props));
                }
                case "SQS" -> queues.add(new SqsEventSource(name, props.get("Queue"),
                        integer(props.get("BatchSize"), 10),
                        integer(props.get("MaximumBatchingWindowInSeconds"), 0),
                        Maps.list(props.get("FunctionResponseTypes"), "FunctionResponseTypes")
                                .contains("ReportBatchItemFailures"),
                        Optional.ofNullable(Maps.map(props.get("ScalingConfig"), "ScalingConfig").get("MaximumConcurrency"))
                                .map(v -> integer(v, 1000)),
                        !Boolean.FALSE.equals(props.get("Enabled")) && !"false".equals(props.get("Enabled")),
                        props));
                case "Schedule" -> {
                    Template.refuseUninterpreted(props, SCHEDULE_EVENT_PROPERTIES::contains, at);
                    schedules.add(new ScheduleEvent(name, String.valueOf(props.get("Schedule")),
                            !Boolean.FALSE.equals(props.get("Enabled")) && !"false".equals(props.get("Enabled"))
                                    && !"DISABLED".equals(props.get("State")),
                            Optional.ofNullable(props.get("Input")).map(String::valueOf), props));
                }
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
                routes, queues, schedules,
                FunctionUrl.read(resource.logicalId(), p.get("FunctionUrlConfig"), where + ".FunctionUrlConfig"), p);
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
