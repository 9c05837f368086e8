package run.creativeai.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CloudFormation resources SAM's transform generates from this template's serverless
 * resources: per function an {@code AWS::Lambda::Function} (plus version and alias when it
 * auto-publishes), an {@code AWS::Lambda::EventSourceMapping} per SQS event, an
 * {@code AWS::Events::Rule} and the {@code AWS::Lambda::Permission} that lets it invoke the
 * function per Schedule event, and per HTTP route an
 * {@code AWS::ApiGatewayV2::Route} and {@code Integration}; per HTTP API an {@code Api} and its
 * {@code $default} {@code Stage}. Plain CloudFormation resources pass through unchanged. This is
 * what is validated against CloudFormation's current resource schemas.
 */
public final class SamTranslation {
    private static final Set<String> HTTP_API_TO_API = Set.of("Description", "FailOnWarnings", "CorsConfiguration",
            "DisableExecuteApiEndpoint", "Tags");
    private static final Set<String> HTTP_API_TO_STAGE = Set.of("DefaultRouteSettings", "RouteSettings",
            "StageVariables", "AccessLogSetting", "StageName");
    private static final Set<String> HTTP_EVENT_PROPERTIES = Set.of("ApiId", "Method", "Path", "PayloadFormatVersion",
            "TimeoutInMillis");
    /** Schedule event properties the local runtime interprets (RetryPolicy, DeadLetterConfig and the like it does not). */
    private static final Set<String> SCHEDULE_EVENT_PROPERTIES = Set.of("Schedule", "Name", "Description", "Enabled",
            "State", "Input");

    private SamTranslation() {
    }

    /** A generated resource, and where in template.yaml it came from (for error messages). */
    public record Generated(String logicalId, String type, Map<String, Object> properties, String origin) {
    }

    /** Translates; problems that stop a property from being translated at all are added to {@code problems}. */
    public static List<Generated> translate(Template template, List<String> problems) {
        List<Generated> out = new ArrayList<>();
        for (Template.Resource resource : template.resources().values()) {
            String origin = "Resources." + resource.logicalId();
            switch (resource.type()) {
                case Template.SAM_FUNCTION -> function(SamFunction.read(resource), origin, out, problems);
                case Template.SAM_HTTP_API -> httpApi(resource, origin, out, problems);
                default -> {
                    if (resource.type().startsWith("AWS::Serverless::")) {
                        problems.add(origin + ": " + resource.type() + " is not interpreted by this project's runtime");
                    } else {
                        out.add(new Generated(resource.logicalId(), resource.type(), resource.properties(), origin));
                    }
                }
            }
        }
        return out;
    }

    private static void function(SamFunction function, String origin, List<Generated> out, List<String> problems) {
        function.uninterpretedProperties().forEach(p -> problems.add(origin + "." + p
                + ": this SAM feature is not interpreted by this project's runtime"));
        String id = function.logicalId();
        out.add(new Generated(id, "AWS::Lambda::Function", function.lambdaFunctionProperties(), origin));
        Object target = Map.of("Ref", id);
        if (function.properties().containsKey("AutoPublishAlias")) {
            out.add(new Generated(id + "Version", "AWS::Lambda::Version", Map.of("FunctionName", Map.of("Ref", id)),
                    origin + ".AutoPublishAlias"));
            out.add(new Generated(id + "Alias", "AWS::Lambda::Alias", Map.of(
                    "FunctionName", Map.of("Ref", id),
                    "FunctionVersion", Map.of("Fn::GetAtt", List.of(id + "Version", "Version")),
                    "Name", function.properties().get("AutoPublishAlias")), origin + ".AutoPublishAlias"));
            target = Map.of("Ref", id + "Alias");
        }
        for (SamFunction.SqsEventSource source : function.queues()) {
            Map<String, Object> esm = new LinkedHashMap<>();
            source.properties().forEach((k, v) -> esm.put(k.equals("Queue") ? "EventSourceArn" : k, v));
            esm.put("FunctionName", target);
            out.add(new Generated(id + source.eventName(), "AWS::Lambda::EventSourceMapping", esm,
                    origin + ".Events." + source.eventName()));
        }
        for (SamFunction.ScheduleEvent schedule : function.schedules()) {
            schedule(id, target, schedule, origin + ".Events." + schedule.eventName(), out, problems);
        }
        for (SamFunction.HttpRoute route : function.routes()) {
            String where = origin + ".Events." + route.eventName();
            route.properties().keySet().stream().filter(k -> !HTTP_EVENT_PROPERTIES.contains(k))
                    .forEach(k -> problems.add(where + ".Properties." + k + ": not a property of an HttpApi event"));
            Object api = route.properties().getOrDefault("ApiId", Map.of("Ref", "ServerlessHttpApi"));
            Map<String, Object> integration = new LinkedHashMap<>();
            integration.put("ApiId", api);
            integration.put("IntegrationType", "AWS_PROXY");
            integration.put("IntegrationUri", target);
            integration.put("PayloadFormatVersion", route.properties().getOrDefault("PayloadFormatVersion", "2.0"));
            if (route.properties().containsKey("TimeoutInMillis")) {
                integration.put("TimeoutInMillis", route.properties().get("TimeoutInMillis"));
            }
            out.add(new Generated(id + route.eventName() + "Integration", "AWS::ApiGatewayV2::Integration", integration,
                    where));
            out.add(new Generated(id + route.eventName() + "Route", "AWS::ApiGatewayV2::Route", Map.of(
                    "ApiId", api,
                    "RouteKey", route.routeKey(),
                    "Target", "integrations/" + id + route.eventName() + "Integration"), where));
        }
    }

    /** What SAM generates for a Schedule event: the rule, targeting the function (its alias), and the permission. */
    private static void schedule(String functionId, Object target, SamFunction.ScheduleEvent schedule, String where,
            List<Generated> out, List<String> problems) {
        schedule.properties().keySet().stream().filter(k -> !SCHEDULE_EVENT_PROPERTIES.contains(k))
                .forEach(k -> problems.add(where + ".Properties." + k + ": not a Schedule event property this project's "
                        + "runtime interprets"));
        if (schedule.rate().isEmpty()) {
            problems.add(where + ".Properties.Schedule: '" + schedule.schedule() + "' is not a rate(N unit) expression; "
                    + "the local runtime runs rate schedules only");
        }
        String ruleId = functionId + schedule.eventName();
        Map<String, Object> ruleTarget = new LinkedHashMap<>();
        ruleTarget.put("Arn", target instanceof Map<?, ?> ref && ref.containsKey("Ref") && !ref.get("Ref").equals(functionId)
                ? target
                : Map.of("Fn::GetAtt", List.of(functionId, "Arn")));
        ruleTarget.put("Id", ruleId + "LambdaTarget");
        schedule.input().ifPresent(input -> ruleTarget.put("Input", input));
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("ScheduleExpression", schedule.schedule());
        rule.put("State", schedule.enabled() ? "ENABLED" : "DISABLED");
        for (String copied : List.of("Name", "Description")) {
            if (schedule.properties().containsKey(copied)) {
                rule.put(copied, schedule.properties().get(copied));
            }
        }
        rule.put("Targets", List.of(ruleTarget));
        out.add(new Generated(ruleId, "AWS::Events::Rule", rule, where));
        out.add(new Generated(ruleId + "Permission", "AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", target,
                "Principal", "events.amazonaws.com",
                "SourceArn", Map.of("Fn::GetAtt", List.of(ruleId, "Arn"))), where));
    }

    private static void httpApi(Template.Resource resource, String origin, List<Generated> out, List<String> problems) {
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("Name", resource.logicalId());
        api.put("ProtocolType", "HTTP");
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("ApiId", Map.of("Ref", resource.logicalId()));
        stage.put("StageName", "$default");
        stage.put("AutoDeploy", true);
        resource.properties().forEach((name, value) -> {
            if (HTTP_API_TO_API.contains(name)) {
                api.put(name.equals("CorsConfiguration") ? "CorsConfiguration" : name, value);
            } else if (HTTP_API_TO_STAGE.contains(name)) {
                stage.put(name.equals("AccessLogSetting") ? "AccessLogSettings" : name, value);
            } else {
                problems.add(origin + ".Properties." + name + ": not a property this project's runtime interprets");
            }
        });
        out.add(new Generated(resource.logicalId(), "AWS::ApiGatewayV2::Api", api, origin));
        out.add(new Generated(resource.logicalId() + "ApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage", stage, origin));
    }
}
