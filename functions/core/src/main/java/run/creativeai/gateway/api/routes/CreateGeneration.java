package run.creativeai.gateway.api.routes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionResult;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.api.AdmissionReplies;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationInputs;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.JobWait;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.WaitPreference;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.model.JobKind;

/**
 * {@code POST /v1/images/generations} and {@code POST /v1/video/generations}: one generation request
 * through admission. An image request may ask to wait for its end ({@code Prefer: wait=N}); any may
 * set a deadline ({@code Cancel-After}).
 */
public final class CreateGeneration implements Route {
    private final JobKind kind;
    private final GenerationRequestParser parser;
    private final GenerationInputs inputs;
    private final AdmissionService admissions;
    private final AdmissionReplies replies;
    private final JobWait waits;

    public CreateGeneration(JobKind kind, GenerationRequestParser parser, GenerationInputs inputs,
            AdmissionService admissions, AdmissionReplies replies, JobWait waits) {
        this.kind = kind;
        this.parser = parser;
        this.inputs = inputs;
        this.admissions = admissions;
        this.replies = replies;
        this.waits = waits;
    }

    @Override
    public String key() {
        return kind == JobKind.IMAGE ? GatewayApi.CREATE_IMAGE : GatewayApi.CREATE_VIDEO;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Parsed<Optional<Duration>> cancelAfter = CreateChecks.deadline(request, principal);
        if (cancelAfter instanceof Parsed.Invalid<Optional<Duration>> invalid) {
            return invalid.error().toResponse();
        }
        // Video jobs run for minutes: only image creation honours Prefer: wait.
        Parsed<Optional<Duration>> wait = kind == JobKind.IMAGE ? WaitPreference.parse(request.header("prefer"))
                : Parsed.valid(Optional.empty());
        if (wait instanceof Parsed.Invalid<Optional<Duration>> invalid) {
            return invalid.error().toResponse();
        }
        Parsed<GenerationRequest> parsed = parser.parse(kind, request.body());
        if (parsed instanceof Parsed.Valid<GenerationRequest> valid) {
            parsed = Parsed.valid(valid.value().withCancelAfter(((Parsed.Valid<Optional<Duration>>) cancelAfter).value()));
        }
        if (parsed instanceof Parsed.Valid<GenerationRequest> valid) {
            // Input images are checked before admission, so a bad one counts against no limit.
            parsed = inputs.check(principal.tenantId(), valid.value());
        }
        if (parsed instanceof Parsed.Invalid<GenerationRequest> invalid) {
            return invalid.error().toResponse();
        }
        AdmissionResult result = admissions.admit(principal, ((Parsed.Valid<GenerationRequest>) parsed).value());
        Reply reply = replies.reply(principal, result);
        Optional<Duration> waitFor = ((Parsed.Valid<Optional<Duration>>) wait).value();
        if (result instanceof AdmissionResult.Accepted accepted && waitFor.isPresent()) {
            return awaitEnd(request, reply, accepted, waitFor.get());
        }
        return reply.toResponse();
    }

    /**
     * {@code Prefer: wait=N}: the job as it ended, with {@code Preference-Applied}, when it ends
     * within N seconds of the request; otherwise the usual 202, with the job as it now is.
     */
    private ApiResponse awaitEnd(ApiRequest request, Reply admitted, AdmissionResult.Accepted accepted, Duration wait) {
        Job seen = waits.until(accepted.job(), request.receivedAt().plus(wait));
        Map<String, String> carried = new LinkedHashMap<>(admitted.headers());
        carried.keySet().removeIf(name -> name.startsWith("X-Queue-Wait") || name.startsWith("X-Inference-Time")
                || name.equals("X-Model"));
        if (!seen.status().isTerminal()) {
            return replies.job(202, seen, accepted.queue(), waits.now()).withHeaders(carried).toResponse();
        }
        carried.put("Preference-Applied", "wait=" + wait.toSeconds());
        return replies.job(200, seen).withHeaders(carried).toResponse();
    }
}
