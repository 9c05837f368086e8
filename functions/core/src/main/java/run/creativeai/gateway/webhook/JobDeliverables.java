package run.creativeai.gateway.webhook;

import java.net.URI;
import java.time.Clock;
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
 * Jobs' events as deliverables: the start or the end of a job whose {@code webhook_url} subscribed
 * to it, once it has happened. The attempts of every event of a job are recorded on the job, where
 * {@code GET /v1/generations/{id}} shows them. Notices go to {@code notices}, which knows the
 * subscriptions.
 */
public final class JobDeliverables implements Deliverables {
    private static final Logger LOG = LoggerFactory.getLogger(JobDeliverables.class);

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
        if (!(subject instanceof WebhookSubject.JobEvent wanted)) {
            return notices.open(subject);
        }
        return jobs.find(wanted.job())
                .filter(job -> job.request().webhookUrl().isPresent()
                        && job.request().webhookEvents().contains(wanted.event()))
                .flatMap(job -> WebhookEvent.of(job, wanted.event(), links, clock.instant())
                        .map(event -> new JobEvent(job, event)));
    }

    private static boolean recorded(Job job, WebhookAttempt attempt) {
        return attempt.in(job.webhookAttempts());
    }

    private final class JobEvent implements Deliverable {
        private final Job job;
        private final WebhookEvent event;

        JobEvent(Job job, WebhookEvent event) {
            this.job = job;
            this.event = event;
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
        public List<WebhookAttempt> attempts() {
            return job.webhookAttempts();
        }

        /** On the job, written over whatever changed it meanwhile, once. */
        @Override
        public boolean record(WebhookAttempt attempt) {
            Optional<Job> written = jobs.change(job, current -> current.webhookAttempted(attempt),
                    current -> !recorded(current, attempt));
            if (written.isEmpty() && jobs.find(job.id()).filter(current -> recorded(current, attempt)).isEmpty()) {
                LOG.warn("attempt {} of job {}'s webhook could not be recorded after {} tries", attempt.number(),
                        job.id(), JobStore.CHANGE_WRITES);
                return false;
            }
            return true;
        }

        @Override
        public String describe() {
            return "job " + job.id() + " (" + event.type() + ")";
        }
    }
}
