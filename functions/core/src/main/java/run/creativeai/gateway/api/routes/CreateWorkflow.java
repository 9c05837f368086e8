package run.creativeai.gateway.api.routes;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.api.RateLimitResponses;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationInputs;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.WorkflowReplies;
import run.creativeai.gateway.api.WorkflowRequest;
import run.creativeai.gateway.api.WorkflowRequestParser;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.workflow.Workflow;
import run.creativeai.gateway.workflow.WorkflowQueue;
import run.creativeai.gateway.workflow.WorkflowStep;
import run.creativeai.gateway.workflow.WorkflowStore;

/**
 * {@code POST /v1/workflows}: a workflow checked whole (its graph, and each step as the generation
 * request it is, its input images included), then stored queued, each step with the job id it will
 * run under, and handed to the dispatcher, which starts it once it holds a workflow slot. Its steps
 * are admitted as jobs when they become ready, each against every limit a job meets. The create itself
 * counts against the workflows a minute of the tenant's plan (a 429 naming the rule past it). A
 * {@code Cancel-After} bounds the whole workflow, measured from this create: every step's job carries
 * that one deadline, and a workflow not ended by then fails
 * ({@link run.creativeai.gateway.workflow.WorkflowRunner}).
 */
public final class CreateWorkflow implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(CreateWorkflow.class);

    private final WorkflowRequestParser parser;
    private final GenerationInputs inputs;
    private final AdmissionService admissions;
    private final WorkflowStore workflows;
    private final WorkflowQueue queue;
    private final WorkflowReplies replies;
    private final IdSource ids;
    private final Clock clock;

    public CreateWorkflow(WorkflowRequestParser parser, GenerationInputs inputs, AdmissionService admissions,
            WorkflowStore workflows, WorkflowQueue queue, WorkflowReplies replies, IdSource ids, Clock clock) {
        this.parser = parser;
        this.inputs = inputs;
        this.admissions = admissions;
        this.workflows = workflows;
        this.queue = queue;
        this.replies = replies;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public String key() {
        return GatewayApi.CREATE_WORKFLOW;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        // One deadline for the whole workflow, from now: every step's request carries it (WorkflowRunner).
        Parsed<Optional<Duration>> cancelAfter = CreateChecks.deadline(request, principal);
        if (cancelAfter instanceof Parsed.Invalid<Optional<Duration>> invalid) {
            return invalid.error().toResponse();
        }
        Optional<Duration> deadline = ((Parsed.Valid<Optional<Duration>>) cancelAfter).value();
        Parsed<WorkflowRequest> parsed = parser.parse(request.body());
        if (parsed instanceof Parsed.Invalid<WorkflowRequest> invalid) {
            return invalid.error().toResponse();
        }
        WorkflowRequest body = ((Parsed.Valid<WorkflowRequest>) parsed).value();
        for (int i = 0; i < body.steps().size(); i++) {
            WorkflowRequest.Step step = body.steps().get(i);
            // Literal input images are checked (URLs copied into uploads) now, before anything is admitted.
            Parsed<GenerationRequest> checked = inputs.check(principal.tenantId(), step.request());
            if (checked instanceof Parsed.Invalid<GenerationRequest> bad) {
                return WorkflowRequestParser.inStep(i, step.id(), bad.error()).toResponse();
            }
            body = body.withStep(i, ((Parsed.Valid<GenerationRequest>) checked).value().withCancelAfter(deadline));
        }
        // Counted only once it is whole and valid: seed 002's workflows a minute, with the plan's requests a minute.
        AdmissionDecision decision = admissions.admitCreation(principal, WorkKind.WORKFLOW, 0);
        if (decision instanceof AdmissionDecision.Refused refused) {
            return RateLimitResponses.tooManyRequests(refused, clock.instant()).toResponse();
        }
        List<WorkflowStep> steps = new ArrayList<>();
        body.steps().forEach(s -> steps.add(new WorkflowStep(s.id(), s.request(), JobId.next(ids))));
        Workflow workflow = Workflow.created(WorkflowId.next(ids), principal, steps, body.webhookUrl(),
                body.webhookEvents(), body.metadataJson(), clock.instant());
        if (!workflows.create(workflow)) {
            throw new IllegalStateException("workflow id " + workflow.id() + " collided with an existing workflow");
        }
        try {
            queue.advance(workflow.id(), Duration.ZERO);
        } catch (RuntimeException e) {
            // Stored and indexed: the reconciler starts a workflow that rested without its message.
            LOG.warn("workflow {} is stored; the reconciler starts it ({})", workflow.id(), e.toString());
        }
        return replies.workflow(202, workflow).withHeaders(RateLimitResponses.headers(decision, clock.instant()))
                .toResponse();
    }
}
