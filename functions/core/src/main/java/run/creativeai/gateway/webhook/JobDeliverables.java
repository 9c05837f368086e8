package run.creativeai.gateway.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.tenant.TenantId;

/**
 * Jobs' endings as deliverables: a job that has ended and has a {@code webhook_url}; its attempts
 * are recorded on the job, where {@code GET /v1/generations/{id}} shows them. Notices go to
 * {@code notices}, which knows the subscriptions.
 */
public final class JobDeliverables implements Deliverables {
    private static final Logger LOG = LoggerFactory.getLogger(JobDeliverables.class);
    private static final int RECORD_RETRIES = 5;

    private final JobStore jobs;
    private final OutputLinks links;
    private final Clock clock;
    private final Deliverables notices;

    /** {@code links} sign the outputs' download URLs afresh for each attempt. */
    public JobDeliverables(JobStore jobs, OutputLinks links, Clock clock, Deliverables notices) {
        this.jobs = jobs;
        this.links = links;
        this.clock = clock;
        this.notices = notices;
    }

    /** Jobs only: a notice finds nothing to deliver. */
    public static Deliverables only(JobStore jobs, OutputLinks links, Clock clock) {
        return new JobDeliverables(jobs, links, clock, subject -> Optional.empty());
    }

    @Override
    public Optional<Deliverable> open(WebhookSubject subject) {
        if (!(subject instanceof WebhookSubject.JobEnding ending)) {
            return notices.open(subject);
        }
        return jobs.find(ending.job())
                .filter(job -> job.status().isTerminal() && job.request().webhookUrl().isPresent())
                .map(JobEnding::new);
    }

    private final class JobEnding implements Deliverable {
        private final Job job;
        private final WebhookEvent event;

        JobEnding(Job job) {
            this.job = job;
            this.event = WebhookEvent.terminal(job, links, clock.instant());
        }

        @Override
        public WebhookEvent event() {
            return event;
        }

        @Override
        public URI url() {
            return job.request().webhookUrl().orElseThrow();
        }

        @Override
        public TenantId tenant() {
            return job.tenantId();
        }

        @Override
        public Instant occurredAt() {
            return job.timings().finishedAt().orElseThrow();
        }

        @Override
        public List<WebhookAttempt> attempts() {
            return job.webhookAttempts();
        }

        /** On the job, retrying the conditional write against concurrent changes to it. */
        @Override
        public void record(WebhookAttempt attempt) {
            Job current = job;
            for (int i = 0; i < RECORD_RETRIES; i++) {
                if (current.webhookAttempts().stream().anyMatch(a -> a.number() == attempt.number()
                        && a.at().equals(attempt.at()))) {
                    return;
                }
                if (jobs.update(current.webhookAttempted(attempt))) {
                    return;
                }
                current = jobs.find(job.id()).orElseThrow();
            }
            LOG.warn("attempt {} of job {}'s webhook could not be recorded after {} tries", attempt.number(), job.id(),
                    RECORD_RETRIES);
        }

        @Override
        public String describe() {
            return "job " + job.id();
        }
    }
}
