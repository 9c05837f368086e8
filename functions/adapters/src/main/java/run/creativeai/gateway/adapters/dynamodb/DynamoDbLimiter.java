package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import run.creativeai.gateway.admission.JobCreation;
import run.creativeai.gateway.limits.Creation;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.limits.LimiterBusyException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Every rule of a request decided in DynamoDB at once. Counters live in one item per owner
 * ({@code key#<key id>}, {@code tenant#<tenant id>}; see {@link CounterItem}), so a request whose
 * rules all count per key (an image on a seed-000 plan, a status read) is one conditional
 * {@code UpdateItem}, and one that also counts per tenant is one {@code TransactWriteItems} over the
 * two items: all count or none does. A write whose assumptions no longer hold is refused by DynamoDB
 * with the current item, from which the decision is made again: a refusal is always read from one
 * consistent item (at most a second old, below), and only a conditional write ever counts, so no
 * interleaving admits past a limit.
 * The last item seen per owner is kept in memory: it gives each write its assumptions, and shows
 * when a request is certainly refused, which is then confirmed by a consistent read (a read unit an
 * item) instead of a failing write, unless this instance had the items from DynamoDB as they stood
 * within the last {@link #REFUSAL_READ_FOR}: a burst that its limit or its balance refuses reads each
 * item at most once a second per instance instead of once per request. Its refusals carry counts at
 * most that old, and a top-up or a refund reaches them at most that late.
 * Items expire by TTL a day and an hour after their last write.
 *
 * <p>A transaction returns no item, so its first attempt assumes every count is still what this
 * instance last saw, which makes the counts in the headers exact; if another instance counted
 * meanwhile, the retry assumes only room on the items the failure returned, and the headers are then
 * exact unless yet another instance counted in between (the decision itself is exact either way).
 *
 * <p>Credits. A request that costs credits also moves them, in the same transaction, from the
 * tenant's spendable balance to its reserved credits, on the condition that enough are spendable
 * ({@link AccountItems}): a request refused by a limit reserves nothing, one refused for credits
 * counts against no limit, and however many instances race, the balance never goes below zero. The
 * balance lives in the accounts table, not beside the counters: it is money, it never expires, and
 * it outlives the stack, while counters are windows that expire a day after their last write. A
 * transaction spans tables, so this costs no second round trip: an image on a seed-000 plan, which
 * was one {@code UpdateItem} on the key's counters, is one {@code TransactWriteItems} over the key's
 * counters and the balance. The balance is not monotonic (top-ups, refunds), so a balance this
 * instance saw too low is only a reason to read it again, consistently, before refusing, unless it
 * had that balance from DynamoDB within the last {@link #REFUSAL_READ_FOR}.
 *
 * <p>Jobs. Given the jobs table ({@link DynamoDbJobStore}), an admission that creates a job writes
 * it in the same transaction ({@link #admitCreating}): counted, reserved and created, or none of
 * them, in one round trip instead of two. It costs write units: an item in a transaction is billed
 * twice, so the job's put costs 2 units instead of 1, and a request that was one
 * {@code UpdateItem} (1 unit) becomes a transaction (2 units for the counters). A request refused
 * from this instance's last view writes nothing, the job included.
 */
public final class DynamoDbLimiter implements Limiter {
    static final String PK = "pk";
    static final String EXPIRES_AT = "expires_at";
    /** The name under which a tenant's balance item is remembered beside the counter items. */
    private static final String BALANCE_GROUP = "balance#";
    /** The longest window a plan can have is a day; counters outlive their last write by that and an hour. */
    static final Duration RETENTION = Duration.ofHours(25);
    private static final int MAX_ATTEMPTS = 32;
    /**
     * A transaction assumes exact counts (exact headers) on its first attempt and, if that failed on
     * this instance's stale view, once more on the fresh items the failure returned. When even that
     * fails, other instances are counting on the same items right now (at 64 threads on one hot key
     * an always-exact first attempt cost 2 round trips per admission, BENCHMARKS.md): the rest of the
     * request and the next {@value #SKIP_EXACT_AFTER_CONFLICT} transactions on those items assume only
     * room, which concurrent ADDs never contradict.
     */
    private static final int SKIP_EXACT_AFTER_CONFLICT = 16;
    /**
     * How long items this instance had from DynamoDB as they stood (read consistently, or returned by
     * a write) answer a refusal without a read. For a limit, only the refusal's counts can be that
     * old, and its reason where credits ran out meanwhile (a 429 where a read would give a 402), never
     * the decision, since a count only grows within its window; the one count that goes down, a key's
     * daily credit budget given back its refunded part at settlement, is seen at most this late by an
     * instance that just refused for it. A balance goes up (a top-up, a refund at settlement), so a
     * refusal for credits can be that late to see one: a top-up counts within a second, as a new key
     * reaches the creation routes within {@code Authenticator.RECENT}.
     * Without it, one tenant bursting past its limit, or with no credits, read its counter or balance
     * item once per refused request, about 10,000 read units a second at seed scale, three times what
     * a partition serves (BENCHMARKS.md, scale model); with it, once a second per instance.
     */
    static final Duration REFUSAL_READ_FOR = Duration.ofSeconds(1);
    private static final int REMEMBERED_ITEMS = 10_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Optional<String> accounts;
    private final Optional<DynamoDbJobStore> jobs;
    private final RandomGenerator random;
    private final Duration refusalReadFor;
    /** The items this instance knows, the least recently used forgotten first. */
    private final Map<String, Known> known = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                    return size() > REMEMBERED_ITEMS;
                }
            });
    /** Per set of items: how many more transactions skip the exact attempt after it failed on them. */
    private final Map<String, Integer> contended = new java.util.concurrent.ConcurrentHashMap<>();

    /** A limiter of counters only: requests that reserve credits are refused as a programming error. */
    public DynamoDbLimiter(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Optional.empty(), Optional.empty(), RandomGenerator.getDefault(), REFUSAL_READ_FOR);
    }

    /** @param accounts the accounts table, where tenants' credit balances are */
    public DynamoDbLimiter(DynamoDbClient dynamo, String table, String accounts) {
        this(dynamo, table, Optional.of(accounts), Optional.empty(), RandomGenerator.getDefault(), REFUSAL_READ_FOR);
    }

    /**
     * @param accounts the accounts table, where tenants' credit balances are
     * @param jobs     the jobs table's store: a job admitted by {@link #admitCreating} is written with the decision
     */
    public DynamoDbLimiter(DynamoDbClient dynamo, String table, String accounts, DynamoDbJobStore jobs) {
        this(dynamo, table, Optional.of(accounts), Optional.of(jobs), RandomGenerator.getDefault(), REFUSAL_READ_FOR);
    }

    DynamoDbLimiter(DynamoDbClient dynamo, String table, Optional<String> accounts, RandomGenerator random) {
        this(dynamo, table, accounts, Optional.empty(), random, REFUSAL_READ_FOR);
    }

    /**
     * @param refusalReadFor how long items had from DynamoDB answer a refusal without a read;
     *                       {@link Duration#ZERO}: every refusal reads its items, and its counts are exact
     */
    DynamoDbLimiter(DynamoDbClient dynamo, String table, String accounts, Duration refusalReadFor) {
        this(dynamo, table, Optional.of(accounts), Optional.empty(), RandomGenerator.getDefault(), refusalReadFor);
    }

    private DynamoDbLimiter(DynamoDbClient dynamo, String table, Optional<String> accounts,
            Optional<DynamoDbJobStore> jobs, RandomGenerator random, Duration refusalReadFor) {
        this.dynamo = dynamo;
        this.table = table;
        this.accounts = accounts;
        this.jobs = jobs;
        this.random = random;
        this.refusalReadFor = refusalReadFor;
    }

    @Override
    public AdmissionDecision admit(List<LimitCharge> charges, Optional<CreditReservation> credits, Instant now) {
        return decide(charges, credits, Optional.empty(), now);
    }

    /** A job goes into the decision's own write, when this limiter has the jobs table. */
    @Override
    public AdmissionDecision admitCreating(List<LimitCharge> charges, Optional<CreditReservation> credits,
            Creation created, Instant now) {
        if (!(created instanceof JobCreation creation) || jobs.isEmpty() || charges.isEmpty() && credits.isEmpty()) {
            // Nothing to decide: the job alone is one PutItem, cheaper outside a transaction.
            return Limiter.super.admitCreating(charges, credits, created, now);
        }
        return decide(charges, credits, Optional.of(jobs.get().creation(creation.job())), now);
    }

    private AdmissionDecision decide(List<LimitCharge> charges, Optional<CreditReservation> credits, Optional<Put> job,
            Instant now) {
        if (charges.isEmpty() && credits.isEmpty() && job.isEmpty()) {
            return new AdmissionDecision.Admitted(List.of());
        }
        if (credits.isPresent() && accounts.isEmpty()) {
            throw new IllegalStateException("this limiter has no accounts table to reserve credits in");
        }
        Map<String, List<LimitCharge>> groups = groups(charges);
        Optional<String> balance = credits.map(c -> BALANCE_GROUP + c.tenant());
        List<String> items = new ArrayList<>(groups.keySet());
        balance.ifPresent(items::add);
        Duration retention = retention(charges);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, Optional<Map<String, AttributeValue>>> snapshots = new LinkedHashMap<>();
            items.forEach(item -> snapshots.put(item, Optional.ofNullable(known.get(item)).map(Known::item)));
            Optional<AdmissionDecision> refused = refusal(charges, credits, snapshots, now);
            if (refused.isPresent()) {
                return refused.get();
            }
            Optional<AdmissionDecision> decided = items.size() == 1 && credits.isEmpty() && job.isEmpty()
                    ? single(groups, snapshots, charges, now, retention)
                    : transaction(groups, credits, job, snapshots, charges, now, retention, attempt,
                            attempt == 0 && skipExact(items));
            if (decided.isPresent()) {
                return decided.get();
            }
        }
        throw new LimiterBusyException("limit counters of " + items + " kept changing for " + MAX_ATTEMPTS
                + " attempts");
    }

    @Override
    public List<LimitState> peek(List<LimitCharge> charges, Instant now) {
        Map<String, List<LimitCharge>> groups = groups(charges);
        Map<String, Map<String, AttributeValue>> items = read(groups.keySet(), now);
        List<LimitState> states = new ArrayList<>();
        for (LimitCharge charge : charges) {
            states.add(CounterItem.state(charge, items.get(charge.counterGroup()), now));
        }
        return states;
    }

    private Optional<AdmissionDecision> single(Map<String, List<LimitCharge>> groups,
            Map<String, Optional<Map<String, AttributeValue>>> snapshots, List<LimitCharge> charges, Instant now,
            Duration retention) {
        String group = groups.keySet().iterator().next();
        CounterUpdate update = CounterUpdate.plan(charges, snapshots.get(group), now, retention, false, false, random);
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table)
                    .key(key(group))
                    .updateExpression(update.updateExpression())
                    .conditionExpression(update.conditionExpression())
                    .expressionAttributeNames(update.names())
                    .expressionAttributeValues(update.values())
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            Map<String, AttributeValue> item = response.attributes();
            remember(group, item, now);
            List<LimitState> states = new ArrayList<>();
            charges.forEach(charge -> states.add(CounterItem.state(charge, item, now)));
            return Optional.of(new AdmissionDecision.Admitted(states));
        } catch (ConditionalCheckFailedException e) {
            remember(group, e.hasItem() ? e.item() : Map.of(), now);
            return Optional.empty();
        }
    }

    private Optional<AdmissionDecision> transaction(Map<String, List<LimitCharge>> groups,
            Optional<CreditReservation> credits, Optional<Put> job,
            Map<String, Optional<Map<String, AttributeValue>>> snapshots,
            List<LimitCharge> charges, Instant now, Duration retention, int attempt, boolean knownContended) {
        String items = String.join("|", snapshots.keySet());
        boolean exact = attempt < 2 && !knownContended && !contended.containsKey(items);
        List<String> order = new ArrayList<>(groups.keySet());
        List<CounterUpdate> updates = new ArrayList<>();
        List<TransactWriteItem> writes = new ArrayList<>();
        for (String group : order) {
            CounterUpdate update = CounterUpdate.plan(groups.get(group), snapshots.get(group), now, retention, true,
                    exact, random);
            updates.add(update);
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(key(group))
                    .updateExpression(update.updateExpression())
                    .conditionExpression(update.conditionExpression())
                    .expressionAttributeNames(update.names())
                    .expressionAttributeValues(update.values())
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        }
        credits.ifPresent(c -> {
            order.add(BALANCE_GROUP + c.tenant());
            writes.add(reservation(c, now));
        });
        job.ifPresent(put -> writes.add(TransactWriteItem.builder().put(put).build()));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (exact && attempt == 1) {
                if (contended.size() > REMEMBERED_ITEMS) {
                    contended.clear();
                }
                contended.put(items, SKIP_EXACT_AFTER_CONFLICT);
            }
            List<CancellationReason> reasons = e.cancellationReasons();
            if (job.isPresent() && reasons.size() == writes.size()
                    && "ConditionalCheckFailed".equals(reasons.get(reasons.size() - 1).code())) {
                throw new IllegalStateException("job id " + job.get().item().get(DynamoDbJobStore.JOB_ID).s()
                        + " collided with an existing job");
            }
            for (int i = 0; i < reasons.size() && i < order.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    remember(order.get(i), reasons.get(i).hasItem() ? reasons.get(i).item() : Map.of(), now);
                }
            }
            return Optional.empty();
        }
        Map<String, Map<String, AttributeValue>> after = new LinkedHashMap<>();
        for (int i = 0; i < updates.size(); i++) {
            after.put(order.get(i), updates.get(i).predicted());
            if (exact) {
                // Every count was as assumed when the write applied: the prediction is the item as it stands.
                remember(order.get(i), updates.get(i).predicted(), now);
            } else {
                // Counts at least these, the others' meanwhile unknown: a prediction, not had from DynamoDB.
                Map<String, AttributeValue> predicted = updates.get(i).predicted();
                known.compute(order.get(i), (group, before) -> new Known(predicted,
                        before == null ? Optional.empty() : before.confirmedAt()));
            }
        }
        List<LimitState> states = new ArrayList<>();
        charges.forEach(charge -> states.add(CounterItem.state(charge, after.get(charge.counterGroup()), now)));
        return Optional.of(new AdmissionDecision.Admitted(states));
    }

    /** Moves the credits from spendable to reserved, if that many are spendable. */
    private TransactWriteItem reservation(CreditReservation credits, Instant now) {
        return TransactWriteItem.builder().update(u -> u.tableName(accounts.orElseThrow())
                .key(AccountItems.balanceKey(credits.tenant()))
                .updateExpression("ADD #a :take, #r :hold SET #u = :now")
                .conditionExpression("#a >= :hold")
                .expressionAttributeNames(Map.of("#a", AccountItems.AVAILABLE, "#r", AccountItems.RESERVED,
                        "#u", AccountItems.UPDATED_AT))
                .expressionAttributeValues(Map.of(":take", CounterUpdate.number(-credits.credits()),
                        ":hold", CounterUpdate.number(credits.credits()), ":now", AccountItems.instant(now)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    /**
     * The refusal the known items prove, if any. What this instance saw last can prove a refusal
     * (counts only grow within a window), but its counts may be behind, and a balance may have been
     * topped up since, so the items are then read again, consistently, and the refusal is decided and
     * reported from what they hold now, unless this instance had every one of the items from DynamoDB
     * within {@link #REFUSAL_READ_FOR}: they then answer as they are. Credits the balance cannot cover
     * refuse whatever the limits say; of refusing rules, the one reported is the one that frees last,
     * so its reset is a Retry-After that works.
     */
    private Optional<AdmissionDecision> refusal(List<LimitCharge> charges, Optional<CreditReservation> credits,
            Map<String, Optional<Map<String, AttributeValue>>> snapshots, Instant now) {
        boolean refuses = charges.stream().anyMatch(charge -> snapshots.get(charge.counterGroup())
                .map(item -> !CounterItem.fits(charge, item, now)).orElse(false));
        boolean unfunded = credits.flatMap(c -> snapshots.get(BALANCE_GROUP + c.tenant()))
                .map(item -> AccountItems.available(item) < credits.get().credits()).orElse(false);
        if (!refuses && !unfunded) {
            return Optional.empty();
        }
        boolean recent = !refusalReadFor.isZero()
                && confirmedSince(snapshots.keySet(), now.minus(refusalReadFor), now);
        Map<String, Map<String, AttributeValue>> items = recent ? asHad(snapshots) : read(snapshots.keySet(), now);
        if (credits.isPresent()) {
            long available = AccountItems.available(items.get(BALANCE_GROUP + credits.get().tenant()));
            if (available < credits.get().credits()) {
                List<LimitState> states = new ArrayList<>();
                charges.forEach(charge -> states.add(CounterItem.state(charge, items.get(charge.counterGroup()), now)));
                return Optional.of(new AdmissionDecision.InsufficientCredits(available, credits.get().credits(), states));
            }
        }
        List<LimitState> states = new ArrayList<>();
        LimitState refusedBy = null;
        for (LimitCharge charge : charges) {
            Map<String, AttributeValue> item = items.get(charge.counterGroup());
            if (CounterItem.fits(charge, item, now)) {
                states.add(CounterItem.state(charge, item, now));
            } else {
                LimitState state = CounterItem.refusedState(charge, item, now);
                states.add(state);
                if (refusedBy == null || state.resetAt().isAfter(refusedBy.resetAt())) {
                    refusedBy = state;
                }
            }
        }
        return refusedBy == null ? Optional.empty() : Optional.of(new AdmissionDecision.Refused(refusedBy, states));
    }

    /** Whether every one of these items was had from DynamoDB as it stood between {@code since} and {@code now}. */
    private boolean confirmedSince(java.util.Collection<String> groups, Instant since, Instant now) {
        return groups.stream().allMatch(group -> Optional.ofNullable(known.get(group)).flatMap(Known::confirmedAt)
                .filter(at -> !at.isBefore(since) && !at.isAfter(now)).isPresent());
    }

    private static Map<String, Map<String, AttributeValue>> asHad(
            Map<String, Optional<Map<String, AttributeValue>>> snapshots) {
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        snapshots.forEach((group, item) -> items.put(group, item.orElse(Map.of())));
        return items;
    }

    /** An item as DynamoDB had it at {@code now} (read, or returned by a write), remembered. */
    private void remember(String group, Map<String, AttributeValue> item, Instant now) {
        known.put(group, new Known(item, Optional.of(now)));
    }

    /**
     * An item as this instance last knew it, and when it last had the item from DynamoDB as it stood
     * (read consistently, or returned by a write): a prediction after a write that assumed only room
     * keeps the time of the last such item, since the counts it holds are a lower bound.
     */
    private record Known(Map<String, AttributeValue> item, Optional<Instant> confirmedAt) {
    }

    private boolean skipExact(List<String> groups) {
        String items = String.join("|", groups);
        Integer left = contended.computeIfPresent(items, (k, n) -> n > 1 ? n - 1 : null);
        return left != null;
    }

    /**
     * The items of these owners (counter items, and a balance item in the accounts table), read
     * consistently in one call (absent ones as empty maps), and remembered.
     */
    private Map<String, Map<String, AttributeValue>> read(java.util.Collection<String> groups, Instant now) {
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        if (groups.isEmpty()) {
            return items;
        }
        groups.forEach(group -> items.put(group, Map.of()));
        Map<String, KeysAndAttributes> request = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> counterKeys = groups.stream().filter(g -> !g.startsWith(BALANCE_GROUP))
                .map(DynamoDbLimiter::key).toList();
        List<Map<String, AttributeValue>> balanceKeys = groups.stream().filter(g -> g.startsWith(BALANCE_GROUP))
                .map(g -> AccountItems.balanceKey(g.substring(BALANCE_GROUP.length()))).toList();
        if (!counterKeys.isEmpty()) {
            request.put(table, KeysAndAttributes.builder().consistentRead(true).keys(counterKeys).build());
        }
        if (!balanceKeys.isEmpty()) {
            request.put(accounts.orElseThrow(), KeysAndAttributes.builder().consistentRead(true).keys(balanceKeys).build());
        }
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> pending = request;
            var response = dynamo.batchGetItem(b -> b.requestItems(pending));
            response.responses().getOrDefault(table, List.of())
                    .forEach(item -> items.put(item.get(PK).s(), item));
            accounts.ifPresent(accountsTable -> response.responses().getOrDefault(accountsTable, List.of())
                    .forEach(item -> items.put(BALANCE_GROUP + item.get(AccountItems.PK).s().substring("tenant#".length()),
                            item)));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        items.forEach((group, item) -> remember(group, item, now));
        return items;
    }

    private static Map<String, List<LimitCharge>> groups(List<LimitCharge> charges) {
        Map<String, List<LimitCharge>> groups = new LinkedHashMap<>();
        for (LimitCharge charge : charges) {
            groups.computeIfAbsent(charge.counterGroup(), g -> new ArrayList<>()).add(charge);
        }
        return groups;
    }

    private static Duration retention(List<LimitCharge> charges) {
        Duration longest = charges.stream().map(c -> c.rule().window()).max(Duration::compareTo).orElse(RETENTION);
        return longest.compareTo(RETENTION.minusHours(1)) > 0 ? longest.plusHours(1) : RETENTION;
    }

    private static Map<String, AttributeValue> key(String group) {
        return Map.of(PK, AttributeValue.fromS(group));
    }
}
