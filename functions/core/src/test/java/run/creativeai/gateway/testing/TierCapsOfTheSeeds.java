package run.creativeai.gateway.testing;

import java.util.Map;
import run.creativeai.gateway.model.JobKind;

/** Seed 000's standard-tier caps, as the template's defaults set them, for tests that do not test them. */
public final class TierCapsOfTheSeeds {
    public static final Map<JobKind, Long> CAPS = Map.of(JobKind.VIDEO, 100L, JobKind.IMAGE, 500L, JobKind.TRAINING, 20L);
    public static final int SHARDS = 16;

    private TierCapsOfTheSeeds() {
    }
}
