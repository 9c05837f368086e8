package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Credits, terms and the audit trail in DynamoDB Local: every change with its entry, none without. */
@ExtendWith(AwsServices.class)
class DynamoDbAccountsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static DynamoDbAccounts accounts;

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        DynamoDbClient dynamo = aws.newDynamoDb();
        accounts = new DynamoDbAccounts(dynamo, aws.newTable(AccountItems.PK, AccountItems.SK));
    }

    private static TenantId tenant() {
        return new TenantId("acct-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static AuditEntry entry(int second, String action) {
        return new AuditEntry(T0.plusSeconds(second), "ops@example.com", action, "detail " + second);
    }

    @Test
    void aTenantThatNeverHadCreditsHasNone() {
        assertThat(accounts.balance(tenant())).isEqualTo(Balance.NONE);
    }

    @Test
    void creditsAreAddedAndSetOnlyOverTheBalanceTheyWereDecidedOn() {
        TenantId tenant = tenant();
        assertThat(accounts.addCredits(tenant, 500, entry(1, "credits add"))).isEqualTo(new Balance(500, 0));
        assertThat(accounts.setCredits(tenant, 400, 100, entry(2, "credits set"))).as("stale").isFalse();
        assertThat(accounts.setCredits(tenant, 500, 100, entry(3, "credits set"))).isTrue();
        assertThat(accounts.balance(tenant)).isEqualTo(new Balance(100, 0));
        assertThat(accounts.audit(tenant, 10)).as("newest first, and nothing for the refused change")
                .extracting(AuditEntry::at).containsExactly(T0.plusSeconds(3), T0.plusSeconds(1));
    }

    @Test
    void termsChangeOnlyFromTheVersionTheyWereReadAt() {
        TenantId tenant = tenant();
        TenantTerms first = new TenantTerms("{\"daily_tasks\":10}", Map.of("kling", 2), 1);
        assertThat(accounts.replaceTerms(tenant, first, entry(1, "limits set"))).isTrue();
        assertThat(accounts.terms(tenant)).isEqualTo(first);
        assertThat(accounts.replaceTerms(tenant, new TenantTerms("{}", Map.of(), 1), entry(2, "limits clear")))
                .as("written over a version that is gone").isFalse();
        assertThat(accounts.replaceTerms(tenant, new TenantTerms("{}", Map.of(), 2), entry(3, "limits clear"))).isTrue();
        assertThat(accounts.terms(tenant)).isEqualTo(new TenantTerms("{}", Map.of(), 2));
        assertThat(accounts.audit(tenant, 1)).extracting(AuditEntry::action).containsExactly("limits clear");
    }

    @Test
    void theAuditTrailKeepsTheOrderOfChangesWithinOneSecond() {
        TenantId tenant = tenant();
        accounts.record(tenant, new AuditEntry(T0, "a", "first", ""));
        accounts.record(tenant, new AuditEntry(T0.plusMillis(1), "a", "second", ""));
        accounts.record(tenant, new AuditEntry(T0.plusMillis(999), "a", "third", ""));
        assertThat(accounts.audit(tenant, 5)).extracting(AuditEntry::action).containsExactly("third", "second", "first");
    }
}
