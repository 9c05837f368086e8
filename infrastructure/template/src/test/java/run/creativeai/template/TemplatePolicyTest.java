package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The operational rules template.yaml must keep, checked on the template itself. */
class TemplatePolicyTest {
    private final Template template = Template.load(Path.of(System.getProperty("template.path")));

    @Test
    void everyQueueAFunctionConsumesHasADeadLetterQueueAndAVisibilityTimeoutSixTimesTheFunctionTimeout() {
        for (SamFunction function : SamFunction.all(template)) {
            for (SamFunction.SqsEventSource source : function.queues()) {
                String queueId = source.queueLogicalId().orElseThrow();
                Map<String, Object> queue = template.resource(queueId).orElseThrow().properties();
                assertThat(queue).as(queueId + " redrive policy").containsKey("RedrivePolicy");
                int visibility = SamFunction.integer(queue.get("VisibilityTimeout"), 30);
                assertThat(visibility).as(queueId + " visibility timeout against " + function.logicalId() + "'s timeout")
                        .isGreaterThanOrEqualTo(6 * function.timeoutSeconds());
            }
        }
    }

    @Test
    void everyQueueEventSourceReportsItemFailuresAndCapsItsConcurrency() {
        List<SamFunction.SqsEventSource> sources = SamFunction.all(template).stream().flatMap(f -> f.queues().stream()).toList();
        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(source.reportBatchItemFailures()).as(source.eventName()).isTrue();
            assertThat(source.maximumConcurrency()).as(source.eventName()).isPresent();
        });
    }

    @Test
    void eachFunctionRoleGrantsDataAccessOnlyToTheTablesQueuesSecretsAndBucketsThatFunctionIsGiven() {
        for (SamFunction function : SamFunction.all(template)) {
            Set<String> given = new TreeSet<>();
            Intrinsics.references(function.environment()).forEach(r -> given.add(r[0]));
            function.queues().forEach(q -> given.add(q.queueLogicalId().orElseThrow()));
            given.retainAll(dataResources());

            Object role = ((Map<?, ?>) function.properties().get("Role")).get("Fn::GetAtt");
            String roleId = String.valueOf(((List<?>) role).get(0));
            Set<String> granted = new TreeSet<>();
            Intrinsics.references(template.resource(roleId).orElseThrow().properties()).forEach(r -> granted.add(r[0]));
            granted.retainAll(dataResources());

            assertThat(granted).as(function.logicalId() + " role grants").isEqualTo(given);
        }
    }

    @Test
    void apiKeysJobsAccountsThePepperAndTheProviderSecretsSurviveADeletionOrReplacementOfTheStack() {
        for (String id : List.of("ApiKeysTable", "JobsTable", "AccountsTable", "ApiKeyPepperSecret", "ProviderCredentialsSecret",
                "ProviderWebhookSecrets")) {
            Template.Resource resource = template.resource(id).orElseThrow();
            assertThat(resource.body()).as(id).containsEntry("DeletionPolicy", "Retain")
                    .containsEntry("UpdateReplacePolicy", "Retain");
            if (resource.type().equals("AWS::DynamoDB::Table")) {
                assertThat(resource.properties()).as(id).containsEntry("DeletionProtectionEnabled", true);
            }
        }
    }

    @Test
    void everyBucketIsPrivateEncryptedTlsOnlyAndExpiresWhatItHoldsAndTheOutputsOutliveTheStack() {
        List<Template.Resource> buckets = template.resourcesOfType("AWS::S3::Bucket");
        assertThat(buckets).extracting(Template.Resource::logicalId).contains("UploadsBucket", "OutputsBucket");
        for (Template.Resource bucket : buckets) {
            String id = bucket.logicalId();
            Map<String, Object> p = bucket.properties();
            assertThat(p.get("PublicAccessBlockConfiguration")).as(id + " public access").isEqualTo(Map.of(
                    "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
            assertThat(p).as(id + " default encryption").containsKey("BucketEncryption");
            assertThat(String.valueOf(p.get("OwnershipControls"))).as(id + " ACLs disabled").contains("BucketOwnerEnforced");
            assertThat(String.valueOf(p.get("LifecycleConfiguration"))).as(id + " lifecycle rules")
                    .contains("AbortIncompleteMultipartUpload=").contains("ExpirationInDays=");
            assertThat(template.resourcesOfType("AWS::S3::BucketPolicy")).as(id + " denies requests without TLS")
                    .anySatisfy(policy -> {
                        assertThat(policy.properties().get("Bucket")).isEqualTo(Map.of("Ref", id));
                        assertThat(String.valueOf(policy.properties().get("PolicyDocument")))
                                .contains("Effect=Deny").contains("aws:SecureTransport=false");
                    });
        }
        assertThat(template.resource("OutputsBucket").orElseThrow().body()).as("customers' results")
                .containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
    }

    @Test
    void functionsReachBucketsOnlyObjectByObjectAndOnlyTheDispatcherWritesOutputs() {
        Set<String> objectActions = Set.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload");
        for (Template.Resource role : template.resourcesOfType("AWS::IAM::Role")) {
            for (Map<String, Object> statement : statements(role)) {
                Object action = statement.get("Action");
                List<String> actions = action instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(action));
                List<String> s3 = actions.stream().filter(a -> a.startsWith("s3:")).toList();
                if (s3.isEmpty()) {
                    continue;
                }
                assertThat(objectActions).as(role.logicalId() + " S3 actions").containsAll(s3);
                assertThat(String.valueOf(statement.get("Resource"))).as(role.logicalId() + " S3 resource: objects of a bucket")
                        .matches("\\{Fn::Sub=\\$\\{[A-Za-z]+\\.Arn}/[A-Za-z0-9_/-]*\\*}");
                if (s3.contains("s3:PutObject") && String.valueOf(statement.get("Resource")).contains("OutputsBucket")) {
                    assertThat(role.logicalId()).as("the one writer of outputs").isEqualTo("DispatcherRole");
                }
            }
        }
    }

    @Test
    void aRoleReachesABucketsObjectsUnderItsOwnPrefixOnlyNeverTheWholeBucket() {
        for (SamFunction function : SamFunction.all(template)) {
            Object role = ((Map<?, ?>) function.properties().get("Role")).get("Fn::GetAtt");
            String policies = String.valueOf(template.resource(String.valueOf(((List<?>) role).get(0))).orElseThrow()
                    .properties().get("Policies"));
            for (Template.Resource bucket : template.resourcesOfType("AWS::S3::Bucket")) {
                assertThat(policies).as(function.logicalId() + " on " + bucket.logicalId())
                        .doesNotContain("${" + bucket.logicalId() + ".Arn}/*")
                        .doesNotContain("Fn::GetAtt=[" + bucket.logicalId() + ", Arn]");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Template.Resource role) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        Object policies = role.properties().get("Policies");
        if (policies instanceof List<?> list) {
            for (Object policy : list) {
                Object document = ((Map<String, Object>) policy).get("PolicyDocument");
                Object statements = ((Map<String, Object>) document).get("Statement");
                if (statements instanceof List<?> each) {
                    each.forEach(st -> out.add((Map<String, Object>) st));
                }
            }
        }
        return out;
    }

    private Set<String> dataResources() {
        Set<String> ids = new HashSet<>();
        template.resources().values().stream()
                .filter(r -> Set.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::SecretsManager::Secret",
                        "AWS::S3::Bucket").contains(r.type()))
                .forEach(r -> ids.add(r.logicalId()));
        return ids;
    }
}
