package run.creativeai.gateway.plan;

/**
 * One number a plan grants, or no limit at all ({@code "unlimited"} in the plan configuration, as
 * seed 002 writes for enterprise daily tasks).
 */
public record Limit(long max) {
    private static final Limit UNLIMITED = new Limit(Long.MAX_VALUE);

    public Limit {
        if (max < 1) {
            throw new IllegalArgumentException("a limit must be positive");
        }
    }

    public static Limit of(long max) {
        return new Limit(max);
    }

    public static Limit unlimited() {
        return UNLIMITED;
    }

    public boolean isLimited() {
        return max != Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return isLimited() ? Long.toString(max) : "unlimited";
    }
}
