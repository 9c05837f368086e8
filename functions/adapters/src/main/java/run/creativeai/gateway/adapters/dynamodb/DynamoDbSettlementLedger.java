package run.creativeai.gateway.adapters.dynamodb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.billing.Settlement;
import run.creativeai.gateway.billing.SettlementLedger;
import run.creativeai.gateway.billing.UsageEntry;
import run.creativeai.gateway.limits.KeyBudget;
import run.creativeai.gateway.limits.RateLimitRule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Settlements in one {@code TransactWriteItems}: the job's settlement record
 * ({@code settlement#<job>}, put only if absent), the tenant's balance (the reservation released, the
 * refund made spendable), the usage counters of the job's day, model and key, and, when the key has
 * a daily budget and the job's day is still today, the refund given back to that budget's counter.
 * The record's condition makes the whole write happen once per job: a repeat is cancelled before it
 * changes anything. The record stays, as the ledger of what each job was charged.
 */
public final class DynamoDbSettlementLedger implements SettlementLedger {
    private static final int MAX_ATTEMPTS = 8;
    private static final RateLimitRule BUDGET = KeyBudget.rule(1);

    private final DynamoDbClient dynamo;
    private final String accounts;
    private final String counters;
    private final Clock clock;

    /**
     * @param accounts the accounts table (balances, usage, settlement records)
     * @param counters the limit counters table, where keys' daily budgets are counted
     */
    public DynamoDbSettlementLedger(DynamoDbClient dynamo, String accounts, String counters, Clock clock) {
        this.dynamo = dynamo;
        this.accounts = accounts;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public boolean record(Settlement settlement) {
        Optional<Settlement.BudgetRefund> budget = settlement.budget();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(settlementRecord(settlement));
            if (settlement.charge().reserved() > 0) {
                writes.add(balance(settlement));
            }
            writes.add(usage(settlement));
            budget.ifPresent(refund -> writes.add(budgetRefund(refund)));
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return true;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (failed(reasons, 0)) {
                    return false;
                }
                if (budget.isPresent() && failed(reasons, writes.size() - 1)) {
                    // The budget's day ended (or its counter expired) meanwhile: a new day starts afresh.
                    budget = Optional.empty();
                }
                // Otherwise another transaction held one of the items (real DynamoDB cancels on conflict): again.
            }
        }
        throw new IllegalStateException("the settlement of job " + settlement.job() + " kept conflicting for "
                + MAX_ATTEMPTS + " attempts");
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private TransactWriteItem settlementRecord(Settlement s) {
        Map<String, AttributeValue> item = new HashMap<>(AccountItems.settlementKey(s.job().value()));
        item.put("tenant_id", AttributeValue.fromS(s.tenant().value()));
        item.put("reserved", CounterUpdate.number(s.charge().reserved()));
        item.put("charged", CounterUpdate.number(s.charge().charged()));
        item.put("refunded", CounterUpdate.number(s.charge().refunded()));
        item.put("settled_at", AccountItems.instant(clock.instant()));
        return TransactWriteItem.builder().put(p -> p.tableName(accounts).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", AccountItems.PK))).build();
    }

    private TransactWriteItem balance(Settlement s) {
        return TransactWriteItem.builder().update(u -> u.tableName(accounts)
                .key(AccountItems.balanceKey(s.tenant()))
                .updateExpression("ADD #r :release, #a :refund SET #u = :now")
                .expressionAttributeNames(Map.of("#r", AccountItems.RESERVED, "#a", AccountItems.AVAILABLE,
                        "#u", AccountItems.UPDATED_AT))
                .expressionAttributeValues(Map.of(":release", CounterUpdate.number(-s.charge().reserved()),
                        ":refund", CounterUpdate.number(s.charge().refunded()),
                        ":now", AccountItems.instant(clock.instant())))).build();
    }

    private TransactWriteItem usage(Settlement s) {
        UsageEntry u = s.usage();
        Map<String, Long> counts = DynamoDbUsage.counts(u);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            names.put("#c" + i, count.getKey());
            values.put(":c" + i, CounterUpdate.number(count.getValue()));
            adds.add("#c" + i + " :c" + i);
            i++;
        }
        return TransactWriteItem.builder().update(b -> b.tableName(accounts)
                .key(AccountItems.key(AccountItems.usagePartition(s.tenant()), DynamoDbUsage.sortKey(u)))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    private TransactWriteItem budgetRefund(Settlement.BudgetRefund refund) {
        return TransactWriteItem.builder().update(u -> u.tableName(counters)
                .key(Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(RateLimitRule.CountedPer.KEY.wireName() + "#"
                        + refund.owner())))
                .updateExpression("ADD #c :back")
                .conditionExpression("#w = :window AND #c >= :credits")
                .expressionAttributeNames(Map.of("#c", CounterItem.countAttribute(BUDGET), "#w",
                        CounterItem.windowAttribute(BUDGET)))
                .expressionAttributeValues(Map.of(":back", CounterUpdate.number(-refund.credits()),
                        ":window", CounterUpdate.number(refund.windowIndex()),
                        ":credits", CounterUpdate.number(refund.credits())))).build();
    }
}
