package run.creativeai.gateway.adapters;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.local.services.DockerUnavailable;
import run.creativeai.local.services.LocalServices;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The AWS services the adapters talk to, started once for the test run (embedded, or LocalStack
 * under the localstack profile), reached through clients built exactly as the functions build them.
 */
public final class AwsServices implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AwsServices.class);

    /** The running services and a function environment that points at them. */
    public record Running(LocalServices services) implements ExtensionContext.Store.CloseableResource {
        public FunctionEnvironment environment(Map<String, String> extra) {
            Map<String, String> env = new HashMap<>(services.awsEnvironment());
            env.putAll(extra);
            return FunctionEnvironment.of(env);
        }

        /** A new client, as one more function instance would build it. */
        public DynamoDbClient newDynamoDb() {
            return AwsClients.dynamoDb(environment(Map.of()));
        }

        /**
         * A new client as {@link #newDynamoDb} builds it that also notes, in {@code operations}, the
         * name of each operation it sends ({@code "GetItem"}, {@code "TransactWriteItems"}).
         */
        public DynamoDbClient newNotingDynamoDb(java.util.List<String> operations) {
            try (DynamoDbClient plain = newDynamoDb()) {
                return DynamoDbClient.builder().region(plain.serviceClientConfiguration().region())
                        .endpointOverride(plain.serviceClientConfiguration().endpointOverride().orElseThrow())
                        .credentialsProvider(plain.serviceClientConfiguration().credentialsProvider())
                        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                            @Override
                            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                                operations.add(context.request().getClass().getSimpleName().replace("Request", ""));
                            }
                        })).build();
            }
        }

        /**
         * A new client for one instance of a race: as the functions build theirs, except that it waits
         * up to a minute for a call instead of retrying it after 4 s (what a race asserts is exact counts,
         * which a retried write can break where DynamoDB Local is slow, not how fast they are).
         */
        public DynamoDbClient newRacingDynamoDb() {
            return AwsClients.patientDynamoDb(environment(Map.of()), java.time.Duration.ofMinutes(1));
        }

        /** A fresh table keyed by {@code key} (a string), unique to the caller. */
        public String newTable(String key) {
            String name = "test-" + UUID.randomUUID();
            try (DynamoDbClient dynamo = newDynamoDb()) {
                dynamo.createTable(b -> b.tableName(name)
                        .keySchema(k -> k.attributeName(key).keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName(key).attributeType(ScalarAttributeType.S))
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
                alreadyCreated(e);
            }
            return name;
        }

        /** A fresh table keyed by {@code hash} and {@code range} (both strings), unique to the caller. */
        public String newTable(String hash, String range) {
            String name = "test-" + UUID.randomUUID();
            try (DynamoDbClient dynamo = newDynamoDb()) {
                dynamo.createTable(b -> b.tableName(name)
                        .keySchema(k -> k.attributeName(hash).keyType(KeyType.HASH),
                                k -> k.attributeName(range).keyType(KeyType.RANGE))
                        .attributeDefinitions(a -> a.attributeName(hash).attributeType(ScalarAttributeType.S),
                                a -> a.attributeName(range).attributeType(ScalarAttributeType.S))
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
                alreadyCreated(e);
            }
            return name;
        }

        /**
         * The name is unique to the caller, so a table that already exists under it was made by this very
         * call: the SDK retried a CreateTable whose first attempt timed out on a loaded machine after
         * DynamoDB Local had created the table.
         */
        private static void alreadyCreated(software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
            if (e.numAttempts() == null || e.numAttempts() < 2) {
                throw e;
            }
        }

        @Override
        public void close() {
            services.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            running(context);
        } catch (DockerUnavailable e) {
            throw new TestAbortedException(e.getMessage(), e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context);
    }

    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("services",
                key -> new Running(LocalServices.start(Optional.empty(), Clock.systemUTC())), Running.class);
    }
}
