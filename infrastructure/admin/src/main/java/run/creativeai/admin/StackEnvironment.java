package run.creativeai.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.template.Intrinsics;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;
import run.creativeai.template.TemplateException;

/**
 * The environment the administration commands need (the keys table, the pepper secret, the signing
 * secrets' prefix, the plan catalogue, the queues), taken from the functions' environments in template.yaml
 * and resolved against a deployed stack: {@code Ref} of a resource is its physical id, as
 * CloudFormation gives it, so the command finds exactly what the functions were given. The stack is
 * read by the AWS CLI in the {@code tenant} script (the SDK's CloudFormation client does not resolve
 * from this build's registry at the pinned SDK version).
 */
final class StackEnvironment {
    /**
     * The variables of {@link Components} that the administration commands read: tenants, their
     * accounts and dedicated slots, and the queues' dead letters.
     */
    static final List<String> ADMINISTRATION = List.of(Components.API_KEYS_TABLE, Components.API_KEY_PEPPER_SECRET,
            Components.WEBHOOK_SECRET_PREFIX, Components.PLAN_CONFIG, Components.ACCOUNTS_TABLE, Components.LIMITS_TABLE,
            Components.PROVIDER_CAPACITY, Components.PROVIDER_SLOTS_PER_SHARD, Components.PRIORITY_MINIMUM_SHARE, Components.ENTERPRISE_QUEUE_URL,
            Components.PRO_QUEUE_URL, Components.FREE_QUEUE_URL, Components.PROGRESS_QUEUE_URL,
            Components.WEBHOOK_QUEUE_URL);

    private StackEnvironment() {
    }

    /** Resolves {@link #ADMINISTRATION} from every function's environment in {@code template}. */
    static Map<String, String> resolve(Template template, Intrinsics.Scope scope) {
        Map<String, Object> declared = new HashMap<>();
        for (SamFunction function : SamFunction.all(template)) {
            declared.putAll(function.environment());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : ADMINISTRATION) {
            Object value = declared.get(name);
            if (value != null) {
                env.put(name, Intrinsics.resolveString(value, scope));
            }
        }
        return env;
    }

    /**
     * The environment of a deployed stack, from what the AWS CLI answers for it:
     * {@code aws cloudformation describe-stacks} (parameters, stack id) and
     * {@code aws cloudformation list-stack-resources} (logical to physical ids).
     */
    static Map<String, String> ofStack(Template template, JsonNode describeStacks, JsonNode listStackResources,
            String stackName, String region) {
        JsonNode stack = describeStacks.path("Stacks").path(0);
        if (stack.isMissingNode()) {
            throw new IllegalArgumentException("no stack " + stackName + " in the describe-stacks answer");
        }
        Map<String, String> values = new HashMap<>();
        template.parameters().keySet().forEach(name -> template.parameterDefault(name).ifPresent(d -> values.put(name, d)));
        stack.path("Parameters").forEach(p -> values.put(p.path("ParameterKey").asText(), p.path("ParameterValue").asText()));
        String[] arn = stack.path("StackId").asText("").split(":");
        values.put("AWS::StackName", stackName);
        values.put("AWS::Region", region);
        values.put("AWS::AccountId", arn.length > 4 ? arn[4] : "");
        values.put("AWS::Partition", arn.length > 1 ? arn[1] : "aws");
        values.put("AWS::URLSuffix", "amazonaws.com");
        listStackResources.path("StackResourceSummaries").forEach(r ->
                values.put(r.path("LogicalResourceId").asText(), r.path("PhysicalResourceId").asText()));
        Map<String, String> env = new LinkedHashMap<>(resolve(template, scope(values)));
        env.put("AWS_REGION", region);
        return env;
    }

    static Intrinsics.Scope scope(Map<String, String> values) {
        return new Intrinsics.Scope() {
            @Override
            public Object ref(String name) {
                return Optional.ofNullable(values.get(name))
                        .orElseThrow(() -> new TemplateException("the stack has no parameter or resource " + name));
            }

            @Override
            public Object getAtt(String logicalId, String attribute) {
                throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute
                        + " is not resolved by the tenant command");
            }
        };
    }
}
