package run.creativeai.gateway.concurrency;

import java.util.Map;

/** Unexpired slots held in one pool, in total and per class. */
public record SlotUsage(long active, Map<String, Long> activeByClass) {
    public SlotUsage {
        activeByClass = Map.copyOf(activeByClass);
    }

    public static SlotUsage empty() {
        return new SlotUsage(0, Map.of());
    }

    public long active(String holderClass) {
        return activeByClass.getOrDefault(holderClass, 0L);
    }
}
