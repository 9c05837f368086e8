package run.creativeai.gateway.billing;

/**
 * A tenant's credits: {@code available} is what new work may reserve (the balance customers see),
 * {@code reserved} is held by jobs that have not been settled yet. Settlement moves a job's
 * reservation back to available, less what it cost.
 */
public record Balance(long available, long reserved) {
    public static final Balance NONE = new Balance(0, 0);
}
