package run.creativeai.gateway.adapters.dynamodb;

import java.time.Instant;
import java.util.Map;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How the accounts table is laid out: what a tenant owns that must outlive any window, and money
 * above all. One table, keyed by {@code pk} and {@code sk}:
 *
 * <ul>
 *   <li>{@code tenant#<id>} / {@code balance}: the credit balance, {@code available} (what new work
 *       may reserve) and {@code reserved} (held by jobs not yet settled). Admission moves credits from
 *       the first to the second in the same transaction as its limit counters; settlement moves them
 *       back or keeps them. Never expires.</li>
 *   <li>{@code tenant#<id>} / {@code terms}: the tenant's custom limits and dedicated slots, the
 *       source the copies on its API keys are made from.</li>
 *   <li>{@code usage#<id>} / {@code <yyyy-mm-dd>#<model>#<key id>}: usage counters, added to once per
 *       job at settlement; a date range of them is one query.</li>
 *   <li>{@code settlement#<job id>} / {@code settlement}: the record that the job's credits were
 *       settled, written in the same transaction as the settlement itself, so it happens once.</li>
 *   <li>{@code audit#<id>} / {@code <instant>#<id>}: every change an operator made to the tenant.</li>
 *   <li>{@code tenant#<id>} / {@code model#<ft id>}: a model the tenant trained ({@link DynamoDbTrainedModels}).</li>
 * </ul>
 */
final class AccountItems {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String BALANCE = "balance";
    static final String AVAILABLE = "available";
    static final String RESERVED = "reserved";
    static final String UPDATED_AT = "updated_at";
    static final String EXPIRES_AT = "expires_at";

    private AccountItems() {
    }

    static Map<String, AttributeValue> balanceKey(String tenant) {
        return key("tenant#" + tenant, BALANCE);
    }

    static Map<String, AttributeValue> balanceKey(TenantId tenant) {
        return balanceKey(tenant.value());
    }

    static Map<String, AttributeValue> termsKey(TenantId tenant) {
        return key("tenant#" + tenant.value(), "terms");
    }

    static Map<String, AttributeValue> settlementKey(String job) {
        return key("settlement#" + job, "settlement");
    }

    static String usagePartition(TenantId tenant) {
        return "usage#" + tenant.value();
    }

    static String auditPartition(TenantId tenant) {
        return "audit#" + tenant.value();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    /** Spendable credits in a balance item as read (an absent item or attribute: none). */
    static long available(Map<String, AttributeValue> item) {
        return CounterItem.number(item, AVAILABLE).orElse(0L);
    }

    static long reserved(Map<String, AttributeValue> item) {
        return CounterItem.number(item, RESERVED).orElse(0L);
    }

    static AttributeValue instant(Instant at) {
        return AttributeValue.fromS(at.toString());
    }
}
