package run.creativeai.gateway.workflow;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.job.VersionedWrites;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.Deliverable;
import run.creativeai.gateway.webhook.Deliverables;
import run.creativeai.gateway.webhook.WebhookEvent;
import run.creativeai.gateway.webhook.WebhookSubject;

/**
 * Workflows' ends as deliverables, through the same delivery as jobs' events (claims, signatures,
 * schedule, deduplication): {@code workflow.completed}, {@code workflow.failed} or
 * {@code workflow.canceled}, carrying the workflow as {@code GET /v1/workflows/{id}} shows it. Its
 * attempts are recorded on the workflow. Every other subject goes to {@code others}.
 */
public final class WorkflowDeliverables implements Deliverables {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowDeliverables.class);

    private final WorkflowStore workflows;
    private final JobStore jobs;
    private final OutputLinks links;
    private final Clock clock;
    private final Deliverables others;

    public WorkflowDeliverables(WorkflowStore workflows, JobStore jobs, OutputLinks links, Clock clock,
            Deliverables others) {
        this.workflows = workflows;
        this.jobs = jobs;
        this.links = links;
        this.clock = clock;
        this.others = others;
    }

    /** The id of a workflow's event: derived from the workflow and how it ended, nothing else. */
    public static String eventId(WorkflowId workflow, WorkflowStatus ended) {
        return "evt_" + IdSource.sha256Hex(workflow.value() + ":" + ended.wireName(), 32);
    }

    /** The event type of a workflow that ended so: {@code workflow.completed} for one whose every step succeeded. */
    public static String eventType(WorkflowStatus ended) {
        return "workflow." + (ended == WorkflowStatus.SUCCEEDED ? "completed" : ended.wireName());
    }

    @Override
    public Optional<Deliverable> open(WebhookSubject subject) {
        if (!(subject instanceof WebhookSubject.WorkflowEvent wanted)) {
            return others.open(subject);
        }
        return workflows.find(wanted.workflow()).filter(w -> w.status().isTerminal() && w.endingHeard())
                .map(Ending::new);
    }

    private final class Ending implements Deliverable {
        private final Workflow workflow;
        private final WebhookEvent event;

        Ending(Workflow workflow) {
            this.workflow = workflow;
            java.util.Map<String, Optional<Job>> states = new java.util.LinkedHashMap<>();
            workflow.steps().forEach(s -> states.put(s.id(), jobs.find(s.jobId())));
            this.event = WebhookEvent.of(eventId(workflow.id(), workflow.status()), eventType(workflow.status()),
                    workflow.finishedAt().orElseThrow(), WorkflowView.withoutDeliveries(workflow, states, links,
                            clock.instant()));
        }

        @Override
        public WebhookEvent event() {
            return event;
        }

        @Override
        public URI url() {
            return workflow.webhookUrl().orElseThrow();
        }

        @Override
        public TenantId tenant() {
            return workflow.tenantId();
        }

        @Override
        public List<WebhookAttempt> attempts() {
            return workflow.webhookAttempts();
        }

        @Override
        public boolean record(WebhookAttempt attempt) {
            Optional<Workflow> written = VersionedWrites.change(workflow, current -> current.webhookAttempted(attempt),
                    current -> !attempt.in(current.webhookAttempts()), workflows::update,
                    () -> workflows.find(workflow.id()));
            if (written.isEmpty() && workflows.find(workflow.id()).filter(w -> attempt.in(w.webhookAttempts())).isEmpty()) {
                LOG.warn("attempt {} of workflow {}'s webhook could not be recorded after {} tries", attempt.number(),
                        workflow.id(), VersionedWrites.WRITES);
                return false;
            }
            return true;
        }

        @Override
        public String describe() {
            return "workflow " + workflow.id() + " (" + event.type() + ")";
        }
    }
}
