package run.creativeai.gateway.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.concurrency.SlotClaim;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.concurrency.SlotUsage;

/** Slot pools in memory, with leases, for domain tests; records every release that freed a slot. */
public final class InMemorySlotPool implements SlotPool {
    private final Map<String, Map<String, Held>> pools = new HashMap<>();
    private final java.util.List<String> freed = new java.util.ArrayList<>();

    @Override
    public synchronized SlotGrant acquire(SlotClaim claim, Instant now) {
        Map<String, Held> pool = pools.computeIfAbsent(claim.pool(), p -> new LinkedHashMap<>());
        pool.values().removeIf(h -> !h.until().isAfter(now));
        Held mine = pool.get(claim.holder());
        if (mine != null) {
            if (mine.until().isBefore(claim.leaseUntil())) {
                pool.put(claim.holder(), new Held(mine.holderClass(), claim.leaseUntil()));
            }
            return new SlotGrant.Granted(usage(pool));
        }
        long ofClass = pool.values().stream().filter(h -> h.holderClass().equals(claim.holderClass())).count();
        if (pool.size() >= claim.capacity()) {
            return new SlotGrant.Full(new SlotGrant.PoolFull(), usage(pool));
        }
        if (claim.classCapacity().map(cap -> ofClass >= cap).orElse(false)) {
            return new SlotGrant.Full(new SlotGrant.ClassFull(claim.holderClass().orElseThrow()), usage(pool));
        }
        pool.put(claim.holder(), new Held(claim.holderClass(), claim.leaseUntil()));
        return new SlotGrant.Granted(usage(pool));
    }

    @Override
    public synchronized boolean release(String pool, String holder, Optional<String> holderClass) {
        boolean released = pools.getOrDefault(pool, new HashMap<>()).remove(holder) != null;
        if (released) {
            freed.add(holder);
        }
        return released;
    }

    @Override
    public synchronized SlotUsage usage(String pool, Instant now) {
        Map<String, Held> held = new LinkedHashMap<>(pools.getOrDefault(pool, Map.of()));
        held.values().removeIf(h -> !h.until().isAfter(now));
        return usage(held);
    }

    /** Holders whose slot a release freed, in order: a holder listed twice was freed twice. */
    public synchronized java.util.List<String> freed() {
        return java.util.List.copyOf(freed);
    }

    private static SlotUsage usage(Map<String, Held> pool) {
        Map<String, Long> byClass = new HashMap<>();
        pool.values().forEach(h -> h.holderClass().ifPresent(c -> byClass.merge(c, 1L, Long::sum)));
        return new SlotUsage(pool.size(), byClass);
    }

    private record Held(Optional<String> holderClass, Instant until) {
    }
}
