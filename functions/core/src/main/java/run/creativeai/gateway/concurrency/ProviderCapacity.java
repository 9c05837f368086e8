package run.creativeai.gateway.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.TenantId;

/**
 * How many jobs the gateway runs on each provider at once, and which tier gets a slot when there are
 * not enough. Each provider's capacity is a {@link SlotPool} pool shared by every dispatcher
 * instance, one slot per provider attempt, so no provider is sent more work than it was configured
 * to take; a job that finds no slot waits in its queue.
 *
 * <p>Priority. An enterprise job may take any free slot. A pro or free job may take one only while
 * the slots left free are at least the number of higher-tier jobs waiting for that provider: a job
 * of a tier with a tier below it registers, when it finds the provider full, in the provider's
 * waiting count (a {@link CountedPools counted pool}: per tier, the jobs waiting, in buckets by the
 * end of their registration, which lasts a few retry delays and is renewed while the job keeps
 * asking), so a slot that frees is kept for the enterprise job that waits for it rather than given
 * to the free job that happens to ask first. Waiting work is counted per provider, not read from the
 * tier queues' depth: a queue also holds jobs bound for other providers and jobs waiting for their
 * tenant's own concurrency, which must not hold anyone else back. The waiting jobs are counted, not
 * named, so the count's item stays the same size however many wait: every registration writes a few
 * hundred bytes, not one attribute per waiting job. Each job's {@link Tally} says where it counts, so
 * it counts once, moves to a later bucket only when its registration runs short, and takes itself
 * out when it finds room; a job whose worker dies lapses with its bucket.
 *
 * <p>No starvation: each lower tier may always hold up to its minimum share of a provider's slots
 * (at least one while the share is above zero and the provider has three slots or more), whatever
 * waits above it. That claim is the same pool
 * with the tier as the holder's class and the share as its class cap, so it is as atomic as any other.
 *
 * <p>Dedicated capacity, on top: slots of a provider set aside for one tenant ({@link #dedicate}) count
 * as held in the provider's pool, so no other tenant's job takes them, even while they are idle, and
 * they are the capacity of the tenant's own pool at that provider, which its jobs try first; beyond
 * them its jobs take the provider's other slots by the priority above. The provider is never sent more
 * than its capacity: the shared slots and the dedicated ones add up to it.
 *
 * <p>Sharded ({@link PoolShards}): a provider's slots are split over as many pools as it takes for
 * each to hold at most {@code slotsPerShard} of them, so no single item takes every claim of a busy
 * provider (each claim writes the whole item, billed by its size, and every waiting job asks again
 * every few seconds). Everything above holds per shard: a job claims, waits and takes its minimum
 * share in the shard its id names, each shard holding its part of the capacity, of the shares and
 * of every tenant's dedicated slots, so the parts add up to the provider's capacity, never more. A
 * provider within one shard's size is one pool, as before.
 */
public final class ProviderCapacity {
    /** The shortest delay of a job sent back to wait for a slot: a job started sooner never waited. */
    static final Duration ENTERPRISE_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCapacity.class);
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(5);
    private static final Duration SHORTEST_WAITING_LEASE = Duration.ofSeconds(10);
    /**
     * Registrations end on whole multiples of this, rounded up: the fewer distinct ends, the fewer
     * buckets in a waiting count's item; a registration lasts at most this much longer than asked.
     */
    static final Duration WAITING_BUCKET = Duration.ofSeconds(2);
    /** Tries at deleting a job's tally that another delivery of the same job keeps replacing. */
    private static final int TALLY_ATTEMPTS = 3;

    private final SlotPool slots;
    private final Map<String, Integer> capacities;
    private final double minimumShare;
    private final Map<JobKind, Duration> leases;
    private final int slotsPerShard;

    /**
     * @param capacities    slots of every provider
     * @param minimumShare  the share (0 to 1) of a provider's slots each lower tier may always hold
     * @param leases        how long a slot is leased, per kind: longer than an attempt can run
     * @param slotsPerShard the most slots one pool item of a provider holds ({@link #ONE_POOL}: no split)
     */
    public ProviderCapacity(SlotPool slots, Map<String, Integer> capacities, double minimumShare,
            Map<JobKind, Duration> leases, int slotsPerShard) {
        if (slotsPerShard < 1) {
            throw new ConfigurationException("a provider's slots are split into pools of at least one slot, not "
                    + slotsPerShard);
        }
        if (!(minimumShare >= 0 && minimumShare <= 1)) {
            throw new ConfigurationException("the priority minimum share must be from 0 to 1, not " + minimumShare);
        }
        capacities.forEach((provider, capacity) -> {
            if (capacity < 1) {
                throw new ConfigurationException("provider " + provider + ": capacity must be a positive integer");
            }
        });
        this.slots = slots;
        this.capacities = Map.copyOf(capacities);
        this.minimumShare = minimumShare;
        this.leases = Map.copyOf(leases);
        this.slotsPerShard = slotsPerShard;
    }

    /** Slots per shard that keep every provider's slots in one pool item. */
    public static final int ONE_POOL = Integer.MAX_VALUE;

    /**
     * The catalogue's capacities, with {@code overridesJson} (a JSON object, provider name to slots:
     * the template's ProviderCapacity parameter) taking precedence; leases from the attempt timeout.
     */
    public static ProviderCapacity configured(SlotPool slots, ModelCatalog models, Optional<String> overridesJson,
            double minimumShare, AttemptTimeouts schedule) {
        return configured(slots, models, overridesJson, minimumShare, schedule, ONE_POOL);
    }

    /** As above, each provider's slots split into pools of at most {@code slotsPerShard}. */
    public static ProviderCapacity configured(SlotPool slots, ModelCatalog models, Optional<String> overridesJson,
            double minimumShare, AttemptTimeouts schedule, int slotsPerShard) {
        Map<String, Integer> capacities = new LinkedHashMap<>(models.capacities());
        overridesJson.ifPresent(json -> {
            JsonNode overrides;
            try {
                overrides = Json.tree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ConfigurationException("provider capacity overrides are not valid JSON: " + e.getOriginalMessage());
            }
            if (!overrides.isObject()) {
                throw new ConfigurationException("provider capacity overrides must be a JSON object of provider to slots");
            }
            overrides.fields().forEachRemaining(entry -> {
                if (!capacities.containsKey(entry.getKey())) {
                    throw new ConfigurationException("provider capacity overrides name unknown provider " + entry.getKey());
                }
                JsonNode value = entry.getValue();
                if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
                    throw new ConfigurationException("provider capacity of " + entry.getKey()
                            + " must be a positive integer, not " + value);
                }
                capacities.put(entry.getKey(), value.asInt());
            });
        });
        Map<JobKind, Duration> leases = new EnumMap<>(JobKind.class);
        for (JobKind kind : JobKind.values()) {
            leases.put(kind, schedule.attemptTimeout(kind).plus(LEASE_MARGIN));
        }
        return new ProviderCapacity(slots, capacities, minimumShare, leases, slotsPerShard);
    }

    /** The pool of a provider's slots (its first shard's, the only one of a provider in one pool). */
    public static String pool(String provider) {
        return pool(provider, 0);
    }

    /** The pool of one shard of a provider's slots; the first keeps the unsharded name, so its slots carry over. */
    public static String pool(String provider, int shard) {
        return "provider#" + provider + suffix(shard);
    }

    /** The pool of a provider's slots set aside for one tenant (in the first shard). */
    public static String dedicatedPool(String provider, TenantId tenant) {
        return dedicatedPool(provider, tenant, 0);
    }

    /** The pool of the slots one shard of a provider sets aside for one tenant. */
    public static String dedicatedPool(String provider, TenantId tenant, int shard) {
        return pool(provider) + "#tenant#" + tenant.value() + suffix(shard);
    }

    /** The counted pool in which higher-tier jobs say they wait for a provider (in the first shard). */
    public static String waitingPool(String provider) {
        return waitingPool(provider, 0);
    }

    /** The counted pool in which higher-tier jobs say they wait for one shard of a provider. */
    public static String waitingPool(String provider, int shard) {
        return "provider-waiting-count#" + provider + suffix(shard);
    }

    private static String suffix(int shard) {
        return shard == 0 ? "" : "#" + shard;
    }

    /** How a provider's slots are split. */
    public PoolShards shards(String provider) {
        return PoolShards.holding(capacity(provider), slotsPerShard);
    }

    public int capacity(String provider) {
        Integer capacity = capacities.get(provider);
        if (capacity == null) {
            throw new IllegalArgumentException("no capacity configured for provider " + provider);
        }
        return capacity;
    }

    /**
     * Slots a lower tier may always hold on a provider of this capacity, whatever waits above it: the
     * share, at least one slot, but never so many that the lower tiers' shares together fill the
     * provider (enterprise work always has a slot to wait for). A provider of two slots is too small
     * to keep a share for both lower tiers: there, they get what enterprise leaves.
     */
    public long minimumSlots(int capacity) {
        if (minimumShare <= 0) {
            return 0;
        }
        long lowerTiers = Tier.values().length - 1;
        long leavingEnterpriseOne = (capacity - 1) / lowerTiers;
        return Math.min(leavingEnterpriseOne, Math.max(1, (long) Math.floor(minimumShare * capacity)));
    }

    /**
     * Takes a slot of {@code provider} for attempt {@code attempt} of the job, by its tier's priority.
     * Taking it again for the same attempt never takes a second slot. Only {@link AttemptSlots} takes
     * and gives back provider slots.
     *
     * @return granted, or full: limited by the whole pool when every slot is in use, or kept for
     *         higher tiers when the free ones are kept for waiting higher-tier jobs
     */
    SlotGrant take(Job job, int attempt, String provider, Instant now) {
        PoolShards shards = shards(provider);
        int shard = shards.of(job.id());
        long capacity = shards.part(capacity(provider), shard);
        String pool = pool(provider, shard);
        String tier = job.tier().wireName();
        Instant leaseUntil = now.plus(leases.get(job.request().kind()));
        String holder = holder(job.id(), attempt);
        int dedicated = job.terms().dedicatedSlots(provider);
        if (dedicated > 0) {
            SlotGrant own = slots.acquireSetAside(dedicatedPool(provider, job.tenantId(), dedicatedShard(shards, dedicated,
                    job.id())), holder, leaseUntil, now);
            if (own instanceof SlotGrant.Granted) {
                return own;
            }
        }
        if (job.tier() == Tier.ENTERPRISE) {
            return slots.acquire(new SlotClaim(pool, holder, Optional.of(tier), capacity, Map.of(), leaseUntil), now);
        }
        long reserved = waitingAbove(job.tier(), provider, shard, now);
        SlotUsage usage = null;
        if (capacity - reserved >= 1) {
            SlotGrant grant = slots.acquire(new SlotClaim(pool, holder, Optional.of(tier), capacity - reserved,
                    Map.of(), leaseUntil), now);
            if (grant instanceof SlotGrant.Granted) {
                return grant;
            }
            usage = ((SlotGrant.Full) grant).usage();
        }
        long share = shards.part(minimumSlots(capacity(provider)), shard);
        boolean shareMayHelp = share > 0 && (usage == null || (usage.active() < capacity && usage.active(tier) < share));
        if (shareMayHelp) {
            SlotGrant grant = slots.acquire(new SlotClaim(pool, holder, Optional.of(tier), capacity,
                    Map.of(tier, share), leaseUntil), now);
            if (grant instanceof SlotGrant.Granted) {
                LOG.debug("job {} takes a slot of {} from the {} tier's minimum share", job.id(), provider, tier);
                return grant;
            }
            usage = ((SlotGrant.Full) grant).usage();
        }
        SlotUsage seen = usage == null ? SlotUsage.empty() : usage;
        return new SlotGrant.Full(seen.active() >= capacity ? new SlotGrant.PoolFull() : new SlotGrant.KeptForHigherTiers(),
                seen);
    }

    /**
     * The shard of a tenant's dedicated slots a job of it uses: its own shard when every shard sets
     * some aside, else one of the first {@code dedicated} shards, the ones that do.
     */
    private static int dedicatedShard(PoolShards shards, int dedicated, JobId job) {
        return Math.floorMod(job.value().hashCode(), Math.min(dedicated, shards.count()));
    }

    /**
     * Gives back the slot of one attempt, from the tenant's dedicated pool when it may have been taken
     * there, else from the provider's; true only for the one call that freed it.
     *
     * @param dedicated the slots the job's tenant has set aside at the provider (0: none)
     */
    boolean release(JobId job, TenantId tenant, int dedicated, Tier tier, int attempt, String provider) {
        String holder = holder(job, attempt);
        PoolShards shards = shards(provider);
        int own = dedicatedShard(shards, Math.max(dedicated, 1), job);
        if (dedicated > 0 && slots.release(dedicatedPool(provider, tenant, own), holder, Optional.empty())) {
            return true;
        }
        if (slots.release(pool(provider, shards.of(job)), holder, Optional.of(tier.wireName()))) {
            return true;
        }
        // Another dedicated shard only if the tenant's reservation changed while the job ran.
        for (int shard = 0; dedicated > 0 && shard < shards.count(); shard++) {
            if (shard != own && slots.release(dedicatedPool(provider, tenant, shard), holder, Optional.empty())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets {@code count} slots of {@code provider} aside for {@code tenant}, in place of what it had
     * ({@link SlotPool#setAside}: exact, or refused with nothing changed when the provider has not that
     * many free now, or the tenant's jobs hold more dedicated slots than it would keep). A sharded
     * provider sets each shard's part aside in turn, each exact; a shard that refuses has the parts
     * already changed put back, so only a claim racing that undo can leave a part changed (logged).
     */
    public SlotPool.SetAside dedicate(TenantId tenant, String provider, long count, Instant now) {
        if (count > capacity(provider)) {
            throw new IllegalArgumentException(provider + " has " + capacity(provider) + " slots; " + count
                    + " cannot be set aside for one tenant");
        }
        PoolShards shards = shards(provider);
        long before = 0;
        List<Long> done = new ArrayList<>();
        for (int shard = 0; shard < shards.count(); shard++) {
            SlotPool.SetAside result = slots.setAside(pool(provider, shard), shards.part(capacity(provider), shard),
                    tenant.value(), dedicatedPool(provider, tenant, shard), shards.part(count, shard));
            if (!(result instanceof SlotPool.SetAside.Done changed)) {
                undo(tenant, provider, shards, done);
                return result instanceof SlotPool.SetAside.NoRoom && shards.count() > 1
                        ? new SlotPool.SetAside.NoRoom(Math.max(0, capacity(provider) - usage(provider, now).active()))
                        : result;
            }
            done.add(changed.before());
            before += changed.before();
        }
        return new SlotPool.SetAside.Done(before, count);
    }

    /** Puts back what the shards already changed had set aside, when a later shard refused its part. */
    private void undo(TenantId tenant, String provider, PoolShards shards, List<Long> before) {
        for (int shard = 0; shard < before.size(); shard++) {
            SlotPool.SetAside undone = slots.setAside(pool(provider, shard), shards.part(capacity(provider), shard),
                    tenant.value(), dedicatedPool(provider, tenant, shard), before.get(shard));
            if (!(undone instanceof SlotPool.SetAside.Done)) {
                LOG.warn("slots set aside for {} at {} shard {} could not be put back to {}: {}", tenant.value(), provider,
                        shard, before.get(shard), undone);
            }
        }
    }

    /** Every provider's capacity. */
    public Map<String, Integer> capacities() {
        return capacities;
    }

    /**
     * Says the job waits for a slot of these providers, so lower tiers leave the next free ones to it.
     * Only tiers with a tier below them register; registering again renews the registration, with a
     * write only when less than half of a registration is left. A job registers in its own shard of
     * each provider, the one whose slots it asks for.
     *
     * <p>The counts change before the tally that records them, and a tally that another delivery of
     * the job replaced meanwhile has this call's counts taken back: a worker that dies in between, or
     * two deliveries of one job, can only count the job twice, until the extra count lapses (lower
     * tiers held back a little longer), never leave a waiting job uncounted.
     */
    public void awaitRoom(Job job, Collection<String> providers, Instant now) {
        if (job.tier() == Tier.FREE) {
            return;
        }
        String tier = job.tier().wireName();
        Duration lease = waitingLease(job);
        Instant until = bucketEnd(now.plus(lease));
        Instant renewBy = now.plus(lease.dividedBy(2));
        Optional<Tally> before = slots.tally(job.id().value());
        Map<String, Instant> counted = new LinkedHashMap<>();
        before.ifPresent(t -> t.countedUntil().forEach((pool, end) -> {
            if (end.isAfter(now)) {
                counted.put(pool, end);
            }
        }));
        Map<String, List<LapsingCount>> moves = new LinkedHashMap<>();
        for (String provider : providers) {
            String pool = waitingPool(provider, shards(provider).of(job.id()));
            Instant end = counted.get(pool);
            if (end != null && !end.isBefore(renewBy)) {
                continue;
            }
            List<LapsingCount> move = new ArrayList<>();
            if (end != null) {
                move.add(new LapsingCount(tier, end, -1));
            }
            move.add(new LapsingCount(tier, until, 1));
            moves.put(pool, move);
            counted.put(pool, until);
        }
        if (moves.isEmpty()) {
            return;
        }
        moves.forEach((pool, counts) -> slots.count(pool, counts, now));
        long replacing = before.map(Tally::version).orElse(0L);
        if (!slots.recordTally(new Tally(job.id().value(), tier, replacing + 1, counted), replacing)) {
            // Another delivery of the job registered it, or found it room, meanwhile: this one's counts go.
            LOG.info("job {}: its waiting registration changed meanwhile; this delivery's is taken back", job.id());
            moves.forEach((pool, counts) -> slots.count(pool, counts.stream().map(LapsingCount::undone).toList(), now));
        }
    }

    /**
     * The job got a slot: it no longer holds lower tiers back on any provider it waited for. Its
     * tally goes first, so of two deliveries only one takes its counts out; a worker that dies
     * between the two leaves the counts to lapse.
     */
    public void roomFound(Job job, Instant now) {
        // A job that has waited was sent back for at least the shortest retry delay; one started sooner never registered.
        boolean mayHaveWaited = !now.isBefore(job.timings().createdAt().plus(ENTERPRISE_RETRY));
        if (job.tier() == Tier.FREE || !mayHaveWaited) {
            return;
        }
        for (int attempt = 0; attempt < TALLY_ATTEMPTS; attempt++) {
            Optional<Tally> tally = slots.tally(job.id().value());
            if (tally.isEmpty()) {
                return;
            }
            if (slots.forgetTally(job.id().value(), tally.get().version())) {
                tally.get().countedUntil().forEach((pool, end) -> {
                    if (end.isAfter(now)) {
                        slots.count(pool, List.of(new LapsingCount(tally.get().holderClass(), end, -1)), now);
                    }
                });
                return;
            }
        }
        LOG.warn("job {}: its waiting registration kept changing; it lapses by itself", job.id());
    }

    /** The end of the bucket a registration lasting until {@code until} counts in: rounded up to a whole bucket. */
    static Instant bucketEnd(Instant until) {
        long bucket = WAITING_BUCKET.getSeconds();
        long seconds = until.getEpochSecond() + (until.getNano() > 0 ? 1 : 0);
        return Instant.ofEpochSecond(Math.floorDiv(seconds + bucket - 1, bucket) * bucket);
    }

    /** How long a job that found no provider slot waits in its queue before it asks again: enterprise asks soonest. */
    public Duration retryDelay(Job job) {
        if (job.tier() == Tier.ENTERPRISE) {
            return ENTERPRISE_RETRY;
        }
        return job.request().kind() == JobKind.IMAGE ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }

    /** Slots of a provider in use, in total and per tier, over every shard. */
    public SlotUsage usage(String provider, Instant now) {
        PoolShards shards = shards(provider);
        if (shards.count() == 1) {
            return slots.usage(pool(provider), now);
        }
        long active = 0;
        Map<String, Long> byClass = new java.util.HashMap<>();
        for (int shard = 0; shard < shards.count(); shard++) {
            SlotUsage part = slots.usage(pool(provider, shard), now);
            active += part.active();
            part.activeByClass().forEach((c, n) -> byClass.merge(c, n, Long::sum));
        }
        return new SlotUsage(active, byClass);
    }

    private Duration waitingLease(Job job) {
        Duration fourRetries = retryDelay(job).multipliedBy(4);
        return fourRetries.compareTo(SHORTEST_WAITING_LEASE) > 0 ? fourRetries : SHORTEST_WAITING_LEASE;
    }

    private long waitingAbove(Tier tier, String provider, int shard, Instant now) {
        SlotUsage waiting = slots.counted(waitingPool(provider, shard), now);
        long above = 0;
        for (Tier higher : Tier.values()) {
            if (higher.ordinal() < tier.ordinal()) {
                above += waiting.active(higher.wireName());
            }
        }
        return above;
    }

    private static String holder(JobId job, int attempt) {
        return job.value() + "#" + attempt;
    }
}
