package run.creativeai.client;

/**
 * A generation, a training or a workflow had not ended when the wait for it ran out. It goes on;
 * {@link #lastSeen()} (a generation's or a training's) or {@link #lastSeenWorkflow()} is it as last
 * read, and waiting again on its id picks up where this wait left off.
 */
public final class WaitTimeoutException extends CreativeAiException {
    private static final long serialVersionUID = 1L;
    private final transient Object lastSeen;

    WaitTimeoutException(Generation lastSeen, java.time.Duration waited) {
        super(Json.text(lastSeen.json(), "object", "generation") + " " + lastSeen.id() + " is still "
                + lastSeen.status().wireName() + " after " + waited, null);
        this.lastSeen = lastSeen;
    }

    WaitTimeoutException(Workflow lastSeen, java.time.Duration waited) {
        super("workflow " + lastSeen.id() + " is still " + lastSeen.status().wireName() + " after " + waited, null);
        this.lastSeen = lastSeen;
    }

    /**
     * The generation or training as last read.
     *
     * @throws IllegalStateException when the wait was for a workflow ({@link #lastSeenWorkflow()})
     */
    public Generation lastSeen() {
        if (lastSeen instanceof Generation generation) {
            return generation;
        }
        throw new IllegalStateException("the wait was for a workflow: see lastSeenWorkflow()");
    }

    /**
     * The workflow as last read.
     *
     * @throws IllegalStateException when the wait was for a generation ({@link #lastSeen()})
     */
    public Workflow lastSeenWorkflow() {
        if (lastSeen instanceof Workflow workflow) {
            return workflow;
        }
        throw new IllegalStateException("the wait was for a generation: see lastSeen()");
    }
}
