package run.creativeai.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import run.creativeai.template.Intrinsics;
import run.creativeai.template.Template;
import run.creativeai.template.TemplateException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's tables, queues, buckets and secrets, created in the local services, and what every
 * name in the template resolves to here: the same answers CloudFormation gives ({@code Ref} of a
 * queue is its URL, of a table or bucket its name, of a secret its ARN; {@code Fn::GetAtt X.Arn} an
 * ARN of the right form), so the functions get the environment they would get on AWS.
 */
public final class CloudResources implements Intrinsics.Scope {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Template template;
    private final Map<String, String> parameters;
    private final String stackName;
    private final String region;
    private final String account;
    private final java.net.URI apiEndpoint;
    private final Map<String, java.net.URI> functionUrls;
    private final Map<String, String> queueUrls = new HashMap<>();
    private final Map<String, String> secretArns = new HashMap<>();

    /**
     * @param apiEndpoint  where the local HTTP API listens: what {@code Fn::GetAtt <HttpApi>.ApiEndpoint} resolves to
     * @param functionUrls where each function URL listens, by the logical id of the {@code AWS::Lambda::Url} SAM
     *                     generates for it ({@link run.creativeai.template.SamFunction.FunctionUrl#logicalId}): what
     *                     {@code Fn::GetAtt <function>Url.FunctionUrl} resolves to
     */
    public CloudResources(Template template, Map<String, String> parameterOverrides, String stackName, String region,
            String account, java.net.URI apiEndpoint, Map<String, java.net.URI> functionUrls) {
        this.template = template;
        this.apiEndpoint = apiEndpoint;
        this.functionUrls = Map.copyOf(functionUrls);
        this.stackName = stackName;
        this.region = region;
        this.account = account;
        Map<String, String> values = new LinkedHashMap<>();
        template.parameters().keySet().forEach(name -> template.parameterDefault(name).ifPresent(d -> values.put(name, d)));
        parameterOverrides.forEach((name, value) -> {
            if (!template.parameters().containsKey(name)) {
                throw new TemplateException("parameter override " + name + " is not a parameter of the template");
            }
            values.put(name, value);
        });
        this.parameters = Map.copyOf(values);
    }

    /** Creates every table, queue, bucket and secret the template declares; existing ones (a restart on saved data) are kept. */
    public void provision(DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets, S3Client s3) {
        for (Template.Resource secret : template.resourcesOfType("AWS::SecretsManager::Secret")) {
            createSecret(secret, secrets);
        }
        for (Template.Resource table : template.resourcesOfType("AWS::DynamoDB::Table")) {
            createTable(table, dynamo);
        }
        for (Template.Resource bucket : template.resourcesOfType("AWS::S3::Bucket")) {
            createBucket(bucket, s3);
        }
        List<Template.Resource> queues = template.resourcesOfType("AWS::SQS::Queue");
        for (Template.Resource queue : queues) {
            Map<QueueAttributeName, String> attributes = queueAttributes(queue, false);
            String url = sqs.createQueue(b -> b.queueName(queueName(queue.logicalId())).attributes(attributes)).queueUrl();
            queueUrls.put(queue.logicalId(), url);
        }
        // Dead-letter targets exist now; redrive policies can point at them.
        for (Template.Resource queue : queues) {
            Map<QueueAttributeName, String> redrive = queueAttributes(queue, true);
            if (!redrive.isEmpty()) {
                sqs.setQueueAttributes(b -> b.queueUrl(queueUrls.get(queue.logicalId())).attributes(redrive));
            }
        }
    }

    private void createSecret(Template.Resource resource, SecretsManagerClient secrets) {
        String name = resource.property("Name").map(n -> Intrinsics.resolveString(n, this))
                .orElse(stackName + "-" + resource.logicalId());
        String arn;
        try {
            arn = secrets.describeSecret(b -> b.secretId(name)).arn();
        } catch (ResourceNotFoundException absent) {
            String value;
            if (resource.properties().get("GenerateSecretString") instanceof Map<?, ?> generate) {
                Object length = generate.get("PasswordLength");
                value = randomAlphanumeric(length == null ? 32 : Integer.parseInt(String.valueOf(length)));
            } else {
                value = Intrinsics.resolveString(resource.properties().getOrDefault("SecretString", ""), this);
            }
            arn = secrets.createSecret(b -> b.name(name).secretString(value)).arn();
        }
        secretArns.put(resource.logicalId(), arn);
    }

    @SuppressWarnings("unchecked")
    private void createTable(Template.Resource resource, DynamoDbClient dynamo) {
        Map<String, Object> p = (Map<String, Object>) Intrinsics.resolve(resource.properties(), this);
        String name = tableName(resource.logicalId());
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .keySchema(keySchema(p.get("KeySchema")))
                .attributeDefinitions(((List<Map<String, Object>>) p.get("AttributeDefinitions")).stream()
                        .map(a -> AttributeDefinition.builder().attributeName(String.valueOf(a.get("AttributeName")))
                                .attributeType(String.valueOf(a.get("AttributeType"))).build())
                        .toList())
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (p.get("GlobalSecondaryIndexes") instanceof List<?> indexes) {
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            for (Object index : indexes) {
                Map<String, Object> i = (Map<String, Object>) index;
                Map<String, Object> projection = (Map<String, Object>) i.getOrDefault("Projection", Map.of());
                gsis.add(GlobalSecondaryIndex.builder()
                        .indexName(String.valueOf(i.get("IndexName")))
                        .keySchema(keySchema(i.get("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "ALL")))
                                .nonKeyAttributes((List<String>) projection.get("NonKeyAttributes"))
                                .build())
                        .build());
            }
            request.globalSecondaryIndexes(gsis);
        }
        try {
            dynamo.createTable(request.build());
        } catch (ResourceInUseException exists) {
            return;
        }
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl && Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))) {
            dynamo.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
                    t -> t.attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(true)));
        }
    }

    /**
     * Only the bucket itself. Of its properties nothing is applied: s3proxy has no lifecycle rules, so
     * locally nothing expires (uploads and outputs stay until deleted, or until an in-memory store
     * stops), and it has no bucket policies, public access blocks, ownership controls or default
     * encryption either. Those hold on AWS only; the local S3 stores objects and checks signatures.
     */
    private void createBucket(Template.Resource resource, S3Client s3) {
        String name = bucketName(resource.logicalId());
        CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(name);
        if (!"us-east-1".equals(region)) {
            // Outside us-east-1, S3 wants the bucket's region named, as CloudFormation names it.
            request.createBucketConfiguration(c -> c.locationConstraint(region));
        }
        try {
            s3.createBucket(request.build());
        } catch (BucketAlreadyOwnedByYouException kept) {
            // A restart on saved data: the bucket and its objects stay as they were.
        }
    }

    @SuppressWarnings("unchecked")
    private static List<KeySchemaElement> keySchema(Object value) {
        return ((List<Map<String, Object>>) value).stream()
                .map(k -> KeySchemaElement.builder().attributeName(String.valueOf(k.get("AttributeName")))
                        .keyType(String.valueOf(k.get("KeyType"))).build())
                .toList();
    }

    @SuppressWarnings("unchecked")
    private Map<QueueAttributeName, String> queueAttributes(Template.Resource queue, boolean redriveOnly) {
        Map<String, Object> p = (Map<String, Object>) Intrinsics.resolve(queue.properties(), this);
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (redriveOnly) {
            if (p.get("RedrivePolicy") instanceof Map<?, ?> redrive) {
                try {
                    attributes.put(QueueAttributeName.REDRIVE_POLICY, JSON.writeValueAsString(redrive));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new TemplateException("RedrivePolicy of " + queue.logicalId() + " cannot be written");
                }
            }
            return attributes;
        }
        Map<String, QueueAttributeName> names = Map.of(
                "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
                "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
                "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS);
        names.forEach((property, attribute) -> {
            if (p.containsKey(property)) {
                attributes.put(attribute, String.valueOf(p.get(property)));
            }
        });
        return attributes;
    }

    public String tableName(String logicalId) {
        return template.resource(logicalId).flatMap(r -> r.property("TableName"))
                .map(n -> Intrinsics.resolveString(n, this)).orElse(stackName + "-" + logicalId);
    }

    public String queueName(String logicalId) {
        return template.resource(logicalId).flatMap(r -> r.property("QueueName"))
                .map(n -> Intrinsics.resolveString(n, this)).orElse(stackName + "-" + logicalId);
    }

    /**
     * {@code BucketName} when the template sets one; otherwise the name CloudFormation generates,
     * {@code <stack>-<logical id>} in lower case, without the random suffix it appends (a local cloud's
     * names need only be unique on its own S3).
     */
    public String bucketName(String logicalId) {
        String name = template.resource(logicalId).flatMap(r -> r.property("BucketName"))
                .map(n -> Intrinsics.resolveString(n, this))
                .orElse((stackName + "-" + logicalId).toLowerCase(Locale.ROOT));
        return name.length() <= 63 ? name : name.substring(0, 63).replaceAll("-+$", "");
    }

    /** The names of the template's buckets, in the template's order. */
    public List<String> bucketNames() {
        return template.resourcesOfType("AWS::S3::Bucket").stream().map(b -> bucketName(b.logicalId())).toList();
    }

    public String queueUrl(String logicalId) {
        String url = queueUrls.get(logicalId);
        if (url == null) {
            throw new TemplateException(logicalId + " is not a provisioned queue");
        }
        return url;
    }

    public String queueArn(String logicalId) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + queueName(logicalId);
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    @Override
    public Object ref(String name) {
        switch (name) {
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return account;
            case "AWS::StackName":
                return stackName;
            case "AWS::StackId":
                return "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + stackName + "/local";
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        Template.Resource resource = template.resource(name)
                .orElseThrow(() -> new TemplateException("Ref to unknown name " + name));
        return switch (resource.type()) {
            case "AWS::DynamoDB::Table" -> tableName(name);
            case "AWS::S3::Bucket" -> bucketName(name);
            case "AWS::SQS::Queue" -> queueUrl(name);
            case "AWS::SecretsManager::Secret" -> secretArn(name);
            case "AWS::Logs::LogGroup" -> resource.property("LogGroupName").map(n -> Intrinsics.resolveString(n, this))
                    .orElse(stackName + "-" + name);
            case "AWS::Serverless::HttpApi" -> "local";
            default -> stackName + "-" + name;
        };
    }

    @Override
    public Object getAtt(String logicalId, String attribute) {
        if (functionUrls.containsKey(logicalId) && attribute.equals("FunctionUrl")) {
            // As Lambda gives it: the URL of the root, with its trailing slash.
            return functionUrls.get(logicalId).resolve("/").toString();
        }
        Template.Resource resource = template.resource(logicalId)
                .orElseThrow(() -> new TemplateException("Fn::GetAtt on unknown resource " + logicalId));
        String key = resource.type() + "." + attribute;
        return switch (key) {
            case "AWS::SQS::Queue.Arn" -> queueArn(logicalId);
            case "AWS::SQS::Queue.QueueUrl" -> queueUrl(logicalId);
            case "AWS::SQS::Queue.QueueName" -> queueName(logicalId);
            case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + region + ":" + account + ":table/" + tableName(logicalId);
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + bucketName(logicalId);
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + account + ":role/" + stackName + "-" + logicalId;
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + region + ":" + account + ":log-group:" + ref(logicalId) + ":*";
            case "AWS::Serverless::Function.Arn" -> "arn:aws:lambda:" + region + ":" + account + ":function:" + ref(logicalId);
            case "AWS::SecretsManager::Secret.Id" -> secretArn(logicalId);
            case "AWS::Serverless::HttpApi.ApiEndpoint" -> apiEndpoint.toString();
            default -> throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute
                    + " is not resolved by the local runtime");
        };
    }

    private String secretArn(String logicalId) {
        String arn = secretArns.get(logicalId);
        if (arn == null) {
            throw new TemplateException(logicalId + " is not a provisioned secret");
        }
        return arn;
    }

    private static String randomAlphanumeric(int length) {
        char[] alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return out.toString();
    }
}
