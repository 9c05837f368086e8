package run.creativeai.gateway.limits;

/**
 * What an admitted request creates ({@link Limiter#admitCreating}): a limiter that can write it in
 * the decision's own atomic write does so; any other creates it on its own once admitted.
 */
public interface Creation {
    /** Creates it on its own, after the decision; false when it exists already. */
    boolean createAlone();
}
