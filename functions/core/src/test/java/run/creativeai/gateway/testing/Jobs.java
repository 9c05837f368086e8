package run.creativeai.gateway.testing;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;

/** Jobs for tests. */
public final class Jobs {
    private static int sequence;

    private Jobs() {
    }

    public static synchronized JobId nextId() {
        sequence++;
        return new JobId("gen_" + String.format("%026d", sequence));
    }

    public static GenerationRequest image(String model, Optional<URI> webhook) {
        return new GenerationRequest(JobKind.IMAGE, model, "a lighthouse at dawn", 1, Optional.of("1024x1024"),
                Optional.empty(), Optional.empty(), webhook, Optional.empty());
    }

    public static Job queuedImage(String model, Instant at) {
        return queued(image(model, Optional.empty()), model, at);
    }

    /** A queued image job priced {@code prices} on each link (model id, credits, ...). */
    public static Job queuedPricedImage(String model, Instant at, Object... prices) {
        java.util.Map<String, Long> perLink = new java.util.LinkedHashMap<>();
        for (int i = 0; i < prices.length; i += 2) {
            perLink.put((String) prices[i], ((Number) prices[i + 1]).longValue());
        }
        return Job.admitted(nextId(), new TenantId("tenant-a"), new KeyId("key_test1"), Tier.PRO, "pro",
                image(model, Optional.empty()), model, at, new run.creativeai.gateway.job.JobCost(perLink, false),
                run.creativeai.gateway.tenant.TenantTerms.none());
    }

    /** The same job as if its create had asked for this {@code Cancel-After} deadline. */
    public static Job withCancelAfter(Job job, java.time.Duration cancelAfter) {
        return new Job(job.id(), job.tenantId(), job.keyId(), job.tier(), job.plan(),
                job.request().withCancelAfter(Optional.of(cancelAfter)), job.model(), job.status(), job.attempts(),
                job.outputs(), job.error(), job.timings(), job.webhookAttempts(), job.version(), job.cost(), job.terms());
    }

    public static Job queued(GenerationRequest request, String resolvedModel, Instant at) {
        return Job.admitted(nextId(), new TenantId("tenant-a"), new KeyId("key_test1"), Tier.PRO, "pro", request,
                resolvedModel, at);
    }
}
