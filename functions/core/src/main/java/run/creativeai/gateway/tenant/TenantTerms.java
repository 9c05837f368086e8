package run.creativeai.gateway.tenant;

import java.util.Map;
import java.util.Objects;

/**
 * What one tenant has agreed beyond its plan: custom limits over the plan's numbers, and provider
 * slots set aside for its jobs alone. The tenant administration keeps the terms in one place and
 * copies them onto each of the tenant's API keys, so that authentication (one read of the key)
 * already knows them and no request pays a second read; each job carries the terms it was admitted
 * under, so the dispatcher applies the same ones.
 *
 * @param limits         custom limits: a JSON object in the plan catalogue's format ({@code {}} when none),
 *                       e.g. {@code {"requests_per_minute":5000,"video":{"concurrent":10}}}
 * @param dedicatedSlots slots set aside for the tenant, by provider
 * @param version        incremented by every change, so an older copy never overwrites a newer one
 */
public record TenantTerms(String limits, Map<String, Integer> dedicatedSlots, long version) {
    private static final TenantTerms NONE = new TenantTerms("{}", Map.of(), 0);

    public TenantTerms {
        Objects.requireNonNull(limits, "limits");
        dedicatedSlots = Map.copyOf(dedicatedSlots);
        if (version < 0) {
            throw new IllegalArgumentException("a version is never negative");
        }
    }

    /** A tenant on its plan as it is. */
    public static TenantTerms none() {
        return NONE;
    }

    public boolean hasCustomLimits() {
        return !"{}".equals(limits);
    }

    /** Slots set aside for the tenant at {@code provider}; 0 when none. */
    public int dedicatedSlots(String provider) {
        return dedicatedSlots.getOrDefault(provider, 0);
    }
}
