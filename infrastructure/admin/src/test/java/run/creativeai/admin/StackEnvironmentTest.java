package run.creativeai.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.template.Template;

/** A deployed stack's names, resolved through template.yaml as CloudFormation would answer them. */
class StackEnvironmentTest {
    private final Template template = Template.load(Path.of(System.getProperty("template.path")));

    @Test
    void theCommandFindsTheTablesAndSecretsTheFunctionsWereGiven() {
        Map<String, String> stack = new java.util.HashMap<>(Map.of(
                "AWS::StackName", "creativeai-prod",
                "AWS::Region", "eu-west-1",
                "AWS::AccountId", "123456789012",
                "AWS::Partition", "aws",
                "ApiKeysTable", "creativeai-prod-ApiKeysTable-1A2B3C",
                "ApiKeyPepperSecret", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:creativeai-prod/api-key-pepper-AbCdEf",
                "PlanConfig", ""));
        for (String queue : QUEUES) {
            stack.put(queue, "https://sqs.eu-west-1.amazonaws.com/123456789012/creativeai-prod-" + queue + "-X1");
        }
        // Credits, custom limits and dedicated slots: the balances, the slot counters and the capacities.
        stack.put("AccountsTable", "creativeai-prod-AccountsTable-4D5E6F");
        stack.put("LimitCountersTable", "creativeai-prod-LimitCountersTable-7G8H9I");
        stack.put("ProviderCapacity", "");
        stack.put("PriorityMinimumShare", "0.1");
        stack.put("ProviderSlotsPerShard", "16");
        Map<String, String> env = StackEnvironment.resolve(template, StackEnvironment.scope(stack));
        assertThat(env).containsEntry(Components.API_KEYS_TABLE, "creativeai-prod-ApiKeysTable-1A2B3C")
                .containsEntry(Components.ACCOUNTS_TABLE, "creativeai-prod-AccountsTable-4D5E6F")
                .containsEntry(Components.LIMITS_TABLE, "creativeai-prod-LimitCountersTable-7G8H9I")
                .containsEntry(Components.API_KEY_PEPPER_SECRET, stack.get("ApiKeyPepperSecret"))
                .containsEntry(Components.WEBHOOK_SECRET_PREFIX, "creativeai-prod/webhook-signing/")
                .containsEntry(Components.PLAN_CONFIG, "")
                .containsEntry(Components.PROVIDER_SLOTS_PER_SHARD, "16")
                .containsEntry(Components.PROGRESS_QUEUE_URL,
                        "https://sqs.eu-west-1.amazonaws.com/123456789012/creativeai-prod-ProgressQueue-X1");
    }

    /** The queues the redrive command looks behind. */
    private static final java.util.List<String> QUEUES = java.util.List.of("EnterpriseQueue", "ProQueue", "FreeQueue",
            "ProgressQueue", "WebhookQueue");

    @Test
    void aStackIsReadFromWhatTheAwsCliAnswers() {
        var describe = run.creativeai.gateway.json.Json.read("""
                {"Stacks":[{"StackName":"creativeai-prod",
                  "StackId":"arn:aws:cloudformation:eu-west-1:123456789012:stack/creativeai-prod/0a1b2c3d",
                  "Parameters":[{"ParameterKey":"PlanConfig","ParameterValue":"{\\"plans\\":[]}"}]}]}""");
        var resources = run.creativeai.gateway.json.Json.read("""
                {"StackResourceSummaries":[
                  {"LogicalResourceId":"ApiKeysTable","PhysicalResourceId":"creativeai-prod-ApiKeysTable-1A2B3C"},
                  {"LogicalResourceId":"ApiKeyPepperSecret","PhysicalResourceId":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:creativeai-prod/api-key-pepper-AbCdEf"},
                  {"LogicalResourceId":"EnterpriseQueue","PhysicalResourceId":"https://sqs.eu-west-1.amazonaws.com/123456789012/e"},
                  {"LogicalResourceId":"ProQueue","PhysicalResourceId":"https://sqs.eu-west-1.amazonaws.com/123456789012/p"},
                  {"LogicalResourceId":"FreeQueue","PhysicalResourceId":"https://sqs.eu-west-1.amazonaws.com/123456789012/f"},
                  {"LogicalResourceId":"ProgressQueue","PhysicalResourceId":"https://sqs.eu-west-1.amazonaws.com/123456789012/g"},
                  {"LogicalResourceId":"WebhookQueue","PhysicalResourceId":"https://sqs.eu-west-1.amazonaws.com/123456789012/w"},
                  {"LogicalResourceId":"AccountsTable","PhysicalResourceId":"creativeai-prod-AccountsTable-4D5E6F"},
                  {"LogicalResourceId":"LimitCountersTable","PhysicalResourceId":"creativeai-prod-LimitCountersTable-7G8H9I"}]}""");
        Map<String, String> env = StackEnvironment.ofStack(template, describe, resources, "creativeai-prod", "eu-west-1");
        assertThat(env).containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry(Components.API_KEYS_TABLE, "creativeai-prod-ApiKeysTable-1A2B3C")
                .containsEntry(Components.WEBHOOK_SECRET_PREFIX, "creativeai-prod/webhook-signing/")
                .containsEntry(Components.PLAN_CONFIG, "{\"plans\":[]}")
                .containsEntry(Components.WEBHOOK_QUEUE_URL, "https://sqs.eu-west-1.amazonaws.com/123456789012/w")
                .containsEntry(Components.ACCOUNTS_TABLE, "creativeai-prod-AccountsTable-4D5E6F")
                .containsEntry(Components.PRIORITY_MINIMUM_SHARE, "0.1");
    }
}
