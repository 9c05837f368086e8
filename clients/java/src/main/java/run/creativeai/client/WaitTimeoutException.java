package run.creativeai.client;

/**
 * A generation had not ended when the wait for it ran out. The job goes on; {@link #lastSeen()} is it
 * as last read, and waiting again on its id picks up where this wait left off.
 */
public final class WaitTimeoutException extends CreativeAiException {
    private static final long serialVersionUID = 1L;
    private final transient Generation lastSeen;

    WaitTimeoutException(Generation lastSeen, java.time.Duration waited) {
        super("generation " + lastSeen.id() + " is still " + lastSeen.status().wireName() + " after " + waited, null);
        this.lastSeen = lastSeen;
    }

    public Generation lastSeen() {
        return lastSeen;
    }
}
