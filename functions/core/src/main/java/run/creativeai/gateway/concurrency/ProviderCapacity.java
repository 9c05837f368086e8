package run.creativeai.gateway.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
 * waiting pool (a second pool, leased for a few retry delays and renewed while the job keeps
 * asking), so a slot that frees is kept for the enterprise job that waits for it rather than given
 * to the free job that happens to ask first. Waiting work is counted per provider, not read from the
 * tier queues' depth: a queue also holds jobs bound for other providers and jobs waiting for their
 * tenant's own concurrency, which must not hold anyone else back.
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
 */
public final class ProviderCapacity {
    /** The shortest delay of a job sent back to wait for a slot: a job started sooner never waited. */
    static final Duration ENTERPRISE_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCapacity.class);
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(5);
    private static final Duration SHORTEST_WAITING_LEASE = Duration.ofSeconds(10);

    private final SlotPool slots;
    private final Map<String, Integer> capacities;
    private final double minimumShare;
    private final Map<JobKind, Duration> leases;

    /**
     * @param capacities   slots of every provider
     * @param minimumShare the share (0 to 1) of a provider's slots each lower tier may always hold
     * @param leases       how long a slot is leased, per kind: longer than an attempt can run
     */
    public ProviderCapacity(SlotPool slots, Map<String, Integer> capacities, double minimumShare,
            Map<JobKind, Duration> leases) {
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
    }

    /**
     * The catalogue's capacities, with {@code overridesJson} (a JSON object, provider name to slots:
     * the template's ProviderCapacity parameter) taking precedence; leases from the attempt timeout.
     */
    public static ProviderCapacity configured(SlotPool slots, ModelCatalog models, Optional<String> overridesJson,
            double minimumShare, AttemptTimeouts schedule) {
        Map<String, Integer> capacities = new LinkedHashMap<>(models.capacities());
        overridesJson.ifPresent(json -> {
            JsonNode overrides;
            try {
                overrides = Json.mapper().readTree(json);
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
        return new ProviderCapacity(slots, capacities, minimumShare, leases);
    }

    /** The pool of a provider's slots. */
    public static String pool(String provider) {
        return "provider#" + provider;
    }

    /** The pool of a provider's slots set aside for one tenant. */
    public static String dedicatedPool(String provider, TenantId tenant) {
        return pool(provider) + "#tenant#" + tenant.value();
    }

    /** The pool in which higher-tier jobs say they wait for a provider. */
    public static String waitingPool(String provider) {
        return "provider-waiting#" + provider;
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
        int capacity = capacity(provider);
        String tier = job.tier().wireName();
        Instant leaseUntil = now.plus(leases.get(job.request().kind()));
        String holder = holder(job.id(), attempt);
        if (job.terms().dedicatedSlots(provider) > 0) {
            SlotGrant own = slots.acquireSetAside(dedicatedPool(provider, job.tenantId()), holder, leaseUntil, now);
            if (own instanceof SlotGrant.Granted) {
                return own;
            }
        }
        if (job.tier() == Tier.ENTERPRISE) {
            return slots.acquire(new SlotClaim(pool(provider), holder, Optional.of(tier), capacity, Map.of(), leaseUntil),
                    now);
        }
        long reserved = waitingAbove(job.tier(), provider, now);
        SlotUsage usage = null;
        if (capacity - reserved >= 1) {
            SlotGrant grant = slots.acquire(new SlotClaim(pool(provider), holder, Optional.of(tier), capacity - reserved,
                    Map.of(), leaseUntil), now);
            if (grant instanceof SlotGrant.Granted) {
                return grant;
            }
            usage = ((SlotGrant.Full) grant).usage();
        }
        long share = minimumSlots(capacity);
        boolean shareMayHelp = share > 0 && (usage == null || (usage.active() < capacity && usage.active(tier) < share));
        if (shareMayHelp) {
            SlotGrant grant = slots.acquire(new SlotClaim(pool(provider), holder, Optional.of(tier), capacity,
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
     * Gives back the slot of one attempt, from the tenant's dedicated pool when it may have been taken
     * there, else from the provider's; true only for the one call that freed it.
     */
    boolean release(JobId job, TenantId tenant, boolean mayBeDedicated, Tier tier, int attempt, String provider) {
        String holder = holder(job, attempt);
        if (mayBeDedicated && slots.release(dedicatedPool(provider, tenant), holder, Optional.empty())) {
            return true;
        }
        return slots.release(pool(provider), holder, Optional.of(tier.wireName()));
    }

    /**
     * Sets {@code count} slots of {@code provider} aside for {@code tenant}, in place of what it had
     * ({@link SlotPool#setAside}: exact, or refused with nothing changed when the provider has not that
     * many free now, or the tenant's jobs hold more dedicated slots than it would keep).
     */
    public SlotPool.SetAside dedicate(TenantId tenant, String provider, long count) {
        if (count > capacity(provider)) {
            throw new IllegalArgumentException(provider + " has " + capacity(provider) + " slots; " + count
                    + " cannot be set aside for one tenant");
        }
        return slots.setAside(pool(provider), capacity(provider), tenant.value(), dedicatedPool(provider, tenant), count);
    }

    /** Every provider's capacity. */
    public Map<String, Integer> capacities() {
        return capacities;
    }

    /**
     * Says the job waits for a slot of these providers, so lower tiers leave the next free ones to it.
     * Only tiers with a tier below them register; registering again renews the registration.
     */
    public void awaitRoom(Job job, Collection<String> providers, Instant now) {
        if (job.tier() == Tier.FREE) {
            return;
        }
        Instant until = now.plus(waitingLease(job));
        for (String provider : providers) {
            slots.acquire(new SlotClaim(waitingPool(provider), job.id().value(), Optional.of(job.tier().wireName()),
                    Long.MAX_VALUE, Map.of(), until), now);
        }
    }

    /** The job got a slot: it no longer holds lower tiers back on these providers. */
    public void roomFound(Job job, Collection<String> providers, Instant now) {
        // A job that has waited was sent back for at least the shortest retry delay; one started sooner never registered.
        boolean mayHaveWaited = !now.isBefore(job.timings().createdAt().plus(ENTERPRISE_RETRY));
        if (job.tier() == Tier.FREE || !mayHaveWaited) {
            return;
        }
        for (String provider : providers) {
            slots.release(waitingPool(provider), job.id().value(), Optional.of(job.tier().wireName()));
        }
    }

    /** How long a job that found no provider slot waits in its queue before it asks again: enterprise asks soonest. */
    public Duration retryDelay(Job job) {
        if (job.tier() == Tier.ENTERPRISE) {
            return ENTERPRISE_RETRY;
        }
        return job.request().kind() == JobKind.IMAGE ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }

    /** Slots of a provider in use, in total and per tier. */
    public SlotUsage usage(String provider, Instant now) {
        return slots.usage(pool(provider), now);
    }

    private Duration waitingLease(Job job) {
        Duration fourRetries = retryDelay(job).multipliedBy(4);
        return fourRetries.compareTo(SHORTEST_WAITING_LEASE) > 0 ? fourRetries : SHORTEST_WAITING_LEASE;
    }

    private long waitingAbove(Tier tier, String provider, Instant now) {
        SlotUsage waiting = slots.usage(waitingPool(provider), now);
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
