package run.creativeai.gateway.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.concurrency.LapsingCount;
import run.creativeai.gateway.concurrency.SlotClaim;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.concurrency.SlotUsage;
import run.creativeai.gateway.concurrency.Tally;

/** Slot pools and counted pools in memory, with leases, for domain tests; records every release that freed a slot. */
public final class InMemorySlotPool implements SlotPool {
    private final Map<String, Map<String, Held>> pools = new HashMap<>();
    private final Map<String, Map<String, Long>> setAside = new HashMap<>();
    private final Map<String, Long> ownCapacity = new HashMap<>();
    private final java.util.List<String> freed = new java.util.ArrayList<>();
    /** Counted pools: per pool, each bucket (a count with delta 0 as its key) and its count. */
    private final Map<String, Map<LapsingCount, Long>> counted = new HashMap<>();
    private final Map<String, Tally> tallies = new HashMap<>();
    private Runnable beforeNextCount = () -> {
    };

    @Override
    public synchronized SetAside setAside(String pool, long poolCapacity, String owner, String ownPool, long slots) {
        long before = setAside.getOrDefault(pool, Map.of()).getOrDefault(owner, 0L);
        long held = pools.getOrDefault(pool, Map.of()).size() + setAsideIn(pool);
        if (slots > before && held + slots - before > poolCapacity) {
            return new SetAside.NoRoom(Math.max(0, poolCapacity - held));
        }
        long ownHeld = pools.getOrDefault(ownPool, Map.of()).size();
        if (slots < before && ownHeld > slots) {
            return new SetAside.StillHeld(ownHeld);
        }
        setAside.computeIfAbsent(pool, p -> new HashMap<>()).put(owner, slots);
        ownCapacity.put(ownPool, slots);
        return new SetAside.Done(before, slots);
    }

    @Override
    public synchronized SlotGrant acquireSetAside(String ownPool, String holder, Instant leaseUntil, Instant now) {
        long capacity = ownCapacity.getOrDefault(ownPool, 0L);
        if (capacity == 0) {
            return new SlotGrant.Full(new SlotGrant.PoolFull(), SlotUsage.empty());
        }
        return acquire(new SlotClaim(ownPool, holder, Optional.empty(), capacity, Map.of(), leaseUntil), now);
    }

    private long setAsideIn(String pool) {
        return setAside.getOrDefault(pool, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized SlotGrant acquire(SlotClaim claim, Instant now) {
        Map<String, Held> pool = pools.computeIfAbsent(claim.pool(), p -> new LinkedHashMap<>());
        pool.values().removeIf(h -> !h.until().isAfter(now));
        Held mine = pool.get(claim.holder());
        if (mine != null) {
            if (mine.until().isBefore(claim.leaseUntil())) {
                pool.put(claim.holder(), new Held(mine.holderClass(), claim.leaseUntil()));
            }
            return new SlotGrant.Granted(usage(claim.pool(), pool));
        }
        long ofClass = pool.values().stream().filter(h -> h.holderClass().equals(claim.holderClass())).count();
        if (pool.size() + setAsideIn(claim.pool()) >= claim.capacity()) {
            return new SlotGrant.Full(new SlotGrant.PoolFull(), usage(claim.pool(), pool));
        }
        if (claim.classCapacity().map(cap -> ofClass >= cap).orElse(false)) {
            return new SlotGrant.Full(new SlotGrant.ClassFull(claim.holderClass().orElseThrow()),
                    usage(claim.pool(), pool));
        }
        pool.put(claim.holder(), new Held(claim.holderClass(), claim.leaseUntil()));
        return new SlotGrant.Granted(usage(claim.pool(), pool));
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
        return usage(pool, held);
    }

    /** Holders whose slot a release freed, in order: a holder listed twice was freed twice. */
    public synchronized java.util.List<String> freed() {
        return java.util.List.copyOf(freed);
    }

    private SlotUsage usage(String name, Map<String, Held> pool) {
        Map<String, Long> byClass = new HashMap<>();
        pool.values().forEach(h -> h.holderClass().ifPresent(c -> byClass.merge(c, 1L, Long::sum)));
        long aside = setAsideIn(name);
        if (aside > 0) {
            byClass.put(SET_ASIDE, aside);
        }
        return new SlotUsage(pool.size() + aside, byClass);
    }

    @Override
    public void count(String pool, java.util.List<LapsingCount> counts, Instant now) {
        Runnable before;
        synchronized (this) {
            before = beforeNextCount;
            beforeNextCount = () -> {
            };
            Map<LapsingCount, Long> buckets = counted.computeIfAbsent(pool, p -> new HashMap<>());
            counts.forEach(c -> buckets.merge(new LapsingCount(c.holderClass(), c.until(), 0), c.delta(), Long::sum));
        }
        before.run();
    }

    /** Runs {@code interleaved} right after the next count is changed: another instance's call landing between two writes. */
    public synchronized void afterNextCount(Runnable interleaved) {
        beforeNextCount = interleaved;
    }

    @Override
    public synchronized SlotUsage counted(String pool, Instant now) {
        Map<String, Long> byClass = new HashMap<>();
        counted.getOrDefault(pool, Map.of()).forEach((bucket, n) -> {
            if (bucket.until().isAfter(now)) {
                byClass.merge(bucket.holderClass(), n, Long::sum);
            }
        });
        byClass.replaceAll((c, n) -> Math.max(0, n));
        return new SlotUsage(byClass.values().stream().mapToLong(Long::longValue).sum(), byClass);
    }

    @Override
    public synchronized Optional<Tally> tally(String holder) {
        return Optional.ofNullable(tallies.get(holder));
    }

    @Override
    public synchronized boolean recordTally(Tally tally, long replacing) {
        long stored = tally(tally.holder()).map(Tally::version).orElse(0L);
        if (stored != replacing) {
            return false;
        }
        tallies.put(tally.holder(), tally);
        return true;
    }

    @Override
    public synchronized boolean forgetTally(String holder, long version) {
        Tally stored = tallies.get(holder);
        if (stored == null || stored.version() != version) {
            return false;
        }
        tallies.remove(holder);
        return true;
    }

    private record Held(Optional<String> holderClass, Instant until) {
    }
}
