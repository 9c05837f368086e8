package run.creativeai.gateway.concurrency;

/** The answer to a claim. */
public sealed interface SlotGrant permits SlotGrant.Granted, SlotGrant.Full {

    /** The holder has a slot (newly taken, or already held). */
    record Granted(SlotUsage usage) implements SlotGrant {
    }

    /** No room: {@code limitedBy} is {@code "total"} or the holder's class. */
    record Full(String limitedBy, SlotUsage usage) implements SlotGrant {
    }
}
