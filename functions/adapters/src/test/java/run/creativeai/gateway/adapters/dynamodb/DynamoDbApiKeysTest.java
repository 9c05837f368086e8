package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.access.AccountAdministration;
import run.creativeai.gateway.access.Authentication;
import run.creativeai.gateway.access.Authenticator;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.InMemoryAccountStore;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.SigningSecretStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** API keys in DynamoDB Local, with the by-tenant index template.yaml declares. */
@ExtendWith(AwsServices.class)
class DynamoDbApiKeysTest {
    private static final ApiKeyHasher HASHER = new ApiKeyHasher("a-pepper-of-some-length".getBytes(StandardCharsets.UTF_8));
    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = "keys-" + UUID.randomUUID();
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName(DynamoDbApiKeys.PK).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName(DynamoDbApiKeys.TENANT_ID).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName(DynamoDbApiKeys.KEY_ID).attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(DynamoDbApiKeys.PK).keyType(KeyType.HASH))
                    .globalSecondaryIndexes(g -> g.indexName(DynamoDbApiKeys.BY_TENANT)
                            .keySchema(k -> k.attributeName(DynamoDbApiKeys.TENANT_ID).keyType(KeyType.HASH),
                                    k -> k.attributeName(DynamoDbApiKeys.KEY_ID).keyType(KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        }
    }

    @Test
    void aRevokedKeyIsRefusedOnTheVeryNextRequestAndOnlyItsOwnTenantCanRevokeIt() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbApiKeys keys = new DynamoDbApiKeys(dynamo, table);
            TenantAdministration administration = new TenantAdministration(HASHER, keys, new NoSecrets(),
                    PlanCatalog.defaults(), new InMemoryAccountStore(), IdSource.random(Clock.systemUTC()));
            Authenticator authenticator = new Authenticator(HASHER, keys, PlanCatalog.defaults());
            TenantId acme = new TenantId("acme-keys");
            var first = administration.issueKey(acme, "pro");
            var second = administration.issueKey(acme, "free");
            administration.issueKey(new TenantId("other-keys"), "pro");

            assertThat(administration.keys(acme)).extracting(ApiKeyRecord::keyId)
                    .containsExactlyInAnyOrder(first.keyId(), second.keyId());
            assertThat(authenticator.authenticate(Optional.of("Bearer " + first.value())))
                    .isInstanceOf(Authentication.Authenticated.class);

            administration.revokeKey(acme, first.keyId());
            assertThat(authenticator.authenticate(Optional.of("Bearer " + first.value())))
                    .isEqualTo(new Authentication.Rejected("this API key has been revoked"));
            assertThat(authenticator.authenticate(Optional.of("Bearer " + second.value())))
                    .isInstanceOf(Authentication.Authenticated.class);
            assertThat(administration.keys(acme)).filteredOn(ApiKeyRecord::revoked).extracting(ApiKeyRecord::keyId)
                    .containsExactly(first.keyId());
            assertThatThrownBy(() -> administration.revokeKey(new TenantId("other-keys"), second.keyId()))
                    .as("a key id of another tenant").isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCustomLimitReachesEveryKeyOfTheTenantAndTheNextRequestIsDecidedUnderIt() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbApiKeys keys = new DynamoDbApiKeys(dynamo, table);
            String accountsTable = aws.newTable(AccountItems.PK, AccountItems.SK);
            DynamoDbAccounts accounts = new DynamoDbAccounts(dynamo, accountsTable);
            TenantAdministration administration = new TenantAdministration(HASHER, keys, new NoSecrets(),
                    PlanCatalog.defaults(), accounts, IdSource.random(Clock.systemUTC()));
            AccountAdministration accountAdministration = new AccountAdministration(accounts, keys, PlanCatalog.defaults(),
                    ProviderCapacity.configured(new InMemorySlotPool(), ModelCatalog.defaults(), Optional.empty(), 0.1,
                            PollSchedule.standard()), Clock.systemUTC());
            Authenticator authenticator = new Authenticator(HASHER, keys, PlanCatalog.defaults());
            TenantId acme = new TenantId("acme-terms-" + UUID.randomUUID().toString().substring(0, 6));
            var before = administration.issueKey(acme, "pro");

            accountAdministration.setLimit(acme, "plan_requests_per_minute", "5000", "ops@example.com");
            accountAdministration.setLimit(acme, "concurrent_video_jobs", "10", "ops@example.com");
            var after = administration.issueKey(acme, "free");

            for (var key : java.util.List.of(before, after)) {
                var principal = ((Authentication.Authenticated) authenticator.authenticate(
                        Optional.of("Bearer " + key.value()))).principal();
                assertThat(principal.plan().limits().requestsPerMinute().max()).as(key.keyId().value()).isEqualTo(5000);
                assertThat(principal.plan().limits().video().concurrent().max()).isEqualTo(10);
                assertThat(principal.terms().version()).isEqualTo(2);
            }
            keys.copyTerms(acme, new TenantTerms("{}", java.util.Map.of(), 1));
            assertThat(administration.keys(acme)).as("an older copy never overwrites a newer one")
                    .allSatisfy(k -> assertThat(k.terms().version()).isEqualTo(2));

            accountAdministration.setKeyBudget(acme, before.keyId(), Optional.of(250L), "ops@example.com");
            assertThat(((Authentication.Authenticated) authenticator.authenticate(Optional.of("Bearer " + before.value())))
                    .principal().maxCreditsPerDay()).contains(250L);
            assertThat(accountAdministration.audit(acme, 10)).extracting(run.creativeai.gateway.access.AuditEntry::action)
                    .containsExactly("key budget", "limits set", "limits set");
        }
    }

    @Test
    void onlyTheKeyedHashIsStored() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbApiKeys keys = new DynamoDbApiKeys(dynamo, table);
            var issued = new TenantAdministration(HASHER, keys, new NoSecrets(), PlanCatalog.defaults(),
                    new InMemoryAccountStore(), IdSource.random(Clock.systemUTC())).issueKey(new TenantId("hash-only"), "pro");
            String everything = dynamo.scan(b -> b.tableName(table)).items().toString();
            assertThat(everything).doesNotContain(issued.value()).contains(HASHER.hash(issued.value()));
        }
    }

    private static final class NoSecrets implements SigningSecretStore {
        @Override
        public Optional<ActiveSigningSecrets> find(TenantId tenant) {
            return Optional.empty();
        }

        @Override
        public void store(TenantId tenant, SigningSecret secret) {
        }

        @Override
        public void beginRotation(TenantId tenant, SigningSecret next) {
        }

        @Override
        public boolean finishRotation(TenantId tenant) {
            return false;
        }

        @Override
        public boolean cancelRotation(TenantId tenant) {
            return false;
        }
    }
}
