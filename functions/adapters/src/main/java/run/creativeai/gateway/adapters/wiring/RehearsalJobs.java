package run.creativeai.gateway.adapters.wiring;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.model.ProviderProtocol;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;

/**
 * The jobs a rehearsal against a stand-in finds ({@code Rehearsals.againstStandIn}): images of the
 * catalogue's own text-to-image models, admitted on an enterprise plan for the tenant no tenant is
 * ({@link Priming#NO_TENANT}), under the id no job has ({@link Priming#NO_JOB}). They exist only in
 * the stand-in.
 */
final class RehearsalJobs {
    private static final Operation OPERATION = Operation.TEXT_TO_IMAGE;

    private RehearsalJobs() {
    }

    /** For each provider wire protocol, a job just admitted for the first text-to-image model served by it. */
    static List<Job> eachProtocol(Catalogues catalogues, Instant now) {
        ModelCatalog models = catalogues.models();
        List<Job> jobs = new ArrayList<>();
        for (ProviderProtocol protocol : ProviderProtocol.values()) {
            models.all().stream()
                    .filter(m -> m.supports(OPERATION) && models.providers().get(m.provider()) == protocol)
                    .findFirst().ifPresent(model -> jobs.add(admitted(catalogues, model, Optional.empty(), now)));
        }
        return jobs;
    }

    /**
     * A job of the first text-to-image model that succeeded with one stored image, its webhook at
     * {@code webhook}: what a delivery of its end finds.
     */
    static Job succeeded(Catalogues catalogues, URI webhook, Instant now) {
        Model model = catalogues.models().all().stream().filter(m -> m.supports(OPERATION)).findFirst().orElseThrow();
        return admitted(catalogues, model, Optional.of(webhook), now)
                .beginAttempt(model.id(), model.provider(), now)
                .attemptSubmitted(Priming.NO_JOB)
                .succeed(List.of(new StoredOutput("outputs/" + Priming.NO_JOB + "/0.png", "image/png", 1, "0".repeat(64),
                        now, Optional.of(1024), Optional.of(1024))), now);
    }

    private static Job admitted(Catalogues catalogues, Model model, Optional<URI> webhook, Instant now) {
        String plan = catalogues.plans().names().stream().sorted()
                .filter(name -> catalogues.plans().find(name).map(p -> p.tier() == Tier.ENTERPRISE).orElse(false))
                .findFirst().orElseGet(() -> catalogues.plans().names().iterator().next());
        return Job.admitted(new JobId(Priming.NO_JOB), new TenantId(Priming.NO_TENANT), new KeyId(Priming.NO_KEY),
                Tier.ENTERPRISE, plan, new GenerationRequest(OPERATION.kind(), model.id(), "a rehearsal", 1,
                        Optional.empty(), Optional.empty(), OPERATION, Optional.empty(), Optional.empty(), webhook,
                        Optional.empty(), Optional.empty(), WebhookEventKind.DEFAULT),
                model.id(), now);
    }
}
