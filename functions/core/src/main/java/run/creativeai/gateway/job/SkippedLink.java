package run.creativeai.gateway.job;

import java.util.Objects;

/**
 * A link of the failover chain passed over without calling its provider (no free slot for the job's
 * tier), recorded on the job beside the attempt that a later link made.
 */
public record SkippedLink(String model, String provider, String why) {
    public SkippedLink {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(why, "why");
    }
}
