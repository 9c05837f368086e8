package run.creativeai.gateway.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.KeyRegistry;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * What operators change about a tenant beyond its keys: its credits (top-ups), its custom limits
 * (any rule of its plan, higher or lower), the provider slots set aside for it, and its keys' daily
 * budgets. Every change is checked before anything is written (a bad one changes nothing and says
 * why), written with an audit entry naming who made it and when, and, for the terms, copied onto
 * every key of the tenant, so it applies from the tenant's next request without any request reading
 * more than its key.
 */
public final class AccountAdministration {
    /** The most credits one command may add or set: more is a typo, not a top-up. */
    public static final long MAX_CREDITS = 1_000_000_000L;
    /** The largest number a custom limit may be (or {@code unlimited}). */
    public static final long MAX_LIMIT = 1_000_000_000_000L;
    private static final int WRITES = 5;

    private final AccountStore accounts;
    private final KeyRegistry keys;
    private final PlanCatalog plans;
    private final ProviderCapacity capacity;
    private final Clock clock;

    public AccountAdministration(AccountStore accounts, KeyRegistry keys, PlanCatalog plans, ProviderCapacity capacity,
            Clock clock) {
        this.accounts = accounts;
        this.keys = keys;
        this.plans = plans;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Adds credits to what the tenant may spend; the balance afterwards. */
    public Balance addCredits(TenantId tenant, long credits, String actor) {
        requireCredits(credits, 1);
        Balance before = accounts.balance(tenant);
        return accounts.addCredits(tenant, credits, entry(actor, "credits add", "+" + credits + " credits (balance was "
                + before.available() + ")"));
    }

    /**
     * Sets what the tenant may spend now to {@code credits}. Credits held by running jobs are not
     * part of it: what their settlement refunds comes on top.
     */
    public Balance setCredits(TenantId tenant, long credits, String actor) {
        requireCredits(credits, 0);
        for (int write = 0; write < WRITES; write++) {
            Balance before = accounts.balance(tenant);
            if (accounts.setCredits(tenant, before.available(), credits, entry(actor, "credits set",
                    before.available() + " -> " + credits + " credits"))) {
                return accounts.balance(tenant);
            }
        }
        throw new IllegalStateException("the balance of " + tenant + " kept changing; try again");
    }

    /**
     * Overrides one rule of the tenant's plan: {@code rule} as headers and 429 bodies name it
     * ({@code plan_requests_per_minute}, {@code model.flux.images_per_minute}, {@code concurrent_tasks},
     * {@code concurrent_video_jobs}, ...) or as a plan field ({@code video.concurrent}), to a positive
     * number or {@code unlimited}.
     */
    public TenantTerms setLimit(TenantId tenant, String rule, String value, String actor) {
        List<String> field = field(rule);
        JsonNode limit = limitValue(rule, value);
        return changeTerms(tenant, actor, "limits set", rule + " = " + value, terms -> {
            ObjectNode custom = (ObjectNode) Json.read(terms.limits());
            ObjectNode parent = custom;
            for (String step : field.subList(0, field.size() - 1)) {
                parent = parent.has(step) && parent.get(step).isObject() ? (ObjectNode) parent.get(step) : parent.putObject(step);
            }
            parent.set(field.get(field.size() - 1), limit);
            return new TenantTerms(Json.write(custom), terms.dedicatedSlots(), terms.version() + 1);
        });
    }

    /** Removes one custom limit: the rule is the plan's own again. */
    public TenantTerms clearLimit(TenantId tenant, String rule, String actor) {
        List<String> field = field(rule);
        return changeTerms(tenant, actor, "limits clear", rule, terms -> {
            ObjectNode custom = (ObjectNode) Json.read(terms.limits());
            ObjectNode parent = custom;
            for (String step : field.subList(0, field.size() - 1)) {
                if (!(parent.get(step) instanceof ObjectNode next)) {
                    throw new IllegalArgumentException(tenant + " has no custom limit " + rule);
                }
                parent = next;
            }
            if (parent.remove(field.get(field.size() - 1)) == null) {
                throw new IllegalArgumentException(tenant + " has no custom limit " + rule);
            }
            if (field.size() > 1 && parent.isEmpty()) {
                custom.remove(field.get(0));
            }
            return new TenantTerms(Json.write(custom), terms.dedicatedSlots(), terms.version() + 1);
        });
    }

    /**
     * Sets {@code slots} of {@code provider} aside for the tenant alone (0 ends it): its jobs take them
     * first, and no other tenant's job can, even while they are idle. Exact, so refused with nothing
     * changed when the provider has not that many slots free now, or when fewer are asked for than the
     * tenant's jobs hold there now.
     */
    public TenantTerms reserve(TenantId tenant, String provider, long slots, String actor) {
        Integer providerCapacity = capacity.capacities().get(provider);
        if (providerCapacity == null) {
            throw new IllegalArgumentException("unknown provider " + provider + "; the providers are "
                    + capacity.capacities().keySet().stream().sorted().toList());
        }
        if (slots < 0 || slots > providerCapacity) {
            throw new IllegalArgumentException(provider + " has " + providerCapacity + " slots; reserve from 0 to "
                    + providerCapacity + ", not " + slots);
        }
        SlotPool.SetAside result = capacity.dedicate(tenant, provider, slots, clock.instant());
        if (result instanceof SlotPool.SetAside.NoRoom noRoom) {
            throw new IllegalStateException(provider + " has " + noRoom.free() + " slots free now (of " + providerCapacity
                    + ", the rest in use or set aside for other tenants); nothing was reserved. Reserve at most that "
                    + "many, or again once its running jobs end");
        }
        if (result instanceof SlotPool.SetAside.StillHeld held) {
            throw new IllegalStateException(tenant + "'s jobs hold " + held.held() + " of its slots at " + provider
                    + " now; nothing was changed. Reserve at least that many, or again once they end");
        }
        long before = ((SlotPool.SetAside.Done) result).before();
        return changeTerms(tenant, actor, "reserve", provider + ": " + before + " -> " + slots + " slots", terms -> {
            Map<String, Integer> dedicated = new LinkedHashMap<>(terms.dedicatedSlots());
            if (slots == 0) {
                dedicated.remove(provider);
            } else {
                dedicated.put(provider, (int) slots);
            }
            return new TenantTerms(terms.limits(), dedicated, terms.version() + 1);
        });
    }

    /** Sets (or, with empty, removes) the key's daily budget of credits ({@code max_credits_per_day}). */
    public void setKeyBudget(TenantId tenant, KeyId key, Optional<Long> maxCreditsPerDay, String actor) {
        maxCreditsPerDay.ifPresent(max -> requireCredits(max, 1));
        if (!keys.setBudget(tenant, key, maxCreditsPerDay)) {
            throw new IllegalArgumentException("tenant " + tenant + " has no key " + key);
        }
        // Recorded after the key changed: a crash in between leaves a change without its entry, never the reverse.
        accounts.record(tenant, entry(actor, "key budget", key + ": max_credits_per_day = "
                + maxCreditsPerDay.map(String::valueOf).orElse("none")));
    }

    /** Everything an operator needs to see about a tenant. */
    public TenantView show(TenantId tenant) {
        return new TenantView(tenant, keys.keysOf(tenant), accounts.terms(tenant), accounts.balance(tenant));
    }

    /** The latest changes to the tenant, newest first. */
    public List<AuditEntry> audit(TenantId tenant, int limit) {
        return accounts.audit(tenant, limit);
    }

    /** A tenant as {@code tenant show} prints it. */
    public record TenantView(TenantId tenant, List<ApiKeyRecord> keys, TenantTerms terms, Balance balance) {
    }

    private TenantTerms changeTerms(TenantId tenant, String actor, String action, String change,
            java.util.function.UnaryOperator<TenantTerms> edit) {
        for (int write = 0; write < WRITES; write++) {
            TenantTerms before = accounts.terms(tenant);
            TenantTerms after = edit.apply(before);
            try {
                plans.checkCustomLimits(after.limits());
            } catch (ConfigurationException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            if (accounts.replaceTerms(tenant, after, entry(actor, action, change))) {
                keys.copyTerms(tenant, after);
                return after;
            }
        }
        throw new IllegalStateException("the terms of " + tenant + " kept changing; try again");
    }

    private List<String> field(String rule) {
        return plans.ruleField(rule).orElseThrow(() -> new IllegalArgumentException("no rule " + rule
                + " in any plan; the rules are " + String.join(", ", plans.ruleNames())
                + " (or a plan field such as video.concurrent)"));
    }

    private static JsonNode limitValue(String rule, String value) {
        if ("unlimited".equals(value)) {
            return Json.nodes().textNode("unlimited");
        }
        try {
            long limit = Long.parseLong(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return Json.nodes().numberNode(limit);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(rule + " must be a whole number from 1 to " + MAX_LIMIT
                + " or unlimited, not " + value);
    }

    private static void requireCredits(long credits, long least) {
        if (credits < least || credits > MAX_CREDITS) {
            throw new IllegalArgumentException("credits must be a whole number from " + least + " to " + MAX_CREDITS
                    + ", not " + credits);
        }
    }

    private AuditEntry entry(String actor, String action, String detail) {
        return new AuditEntry(clock.instant(), actor, action, detail);
    }
}
