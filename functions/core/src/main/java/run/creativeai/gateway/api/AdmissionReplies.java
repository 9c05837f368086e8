package run.creativeai.gateway.api;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionResult;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;

/**
 * How an admission is answered, in one place for every creation route and every task of a batch:
 * 202 with the job and the limit headers, 429 or the daily-quota 403 for a refusal, 503 with
 * Retry-After when the queue is full or could not be reached.
 */
public final class AdmissionReplies {
    private final Quotas quotas;
    private final JobReplies jobs;
    private final Clock clock;

    public AdmissionReplies(Quotas quotas, JobReplies jobs, Clock clock) {
        this.quotas = quotas;
        this.jobs = jobs;
        this.clock = clock;
    }

    public Reply reply(Principal principal, AdmissionResult result) {
        Instant now = clock.instant();
        if (result instanceof AdmissionResult.RateLimited limited) {
            return refusal(principal, limited.decision(), now);
        }
        if (result instanceof AdmissionResult.QueueFull full) {
            String seconds = Long.toString(full.retryAfter().toSeconds());
            return Reply.of(ApiError.serviceUnavailable("the " + principal.plan().tier().wireName()
                    + " queue is full; nothing was queued or counted, retry in " + seconds + " s"))
                    .withHeaders(Map.of("Retry-After", seconds));
        }
        if (result instanceof AdmissionResult.QueueUnavailable unavailable) {
            return Reply.of(ApiError.serviceUnavailable("the job queue is unavailable; job " + unavailable.job().id()
                    + " was not started, submit it again")).withHeaders(Map.of("Retry-After", "1"));
        }
        AdmissionResult.Accepted accepted = (AdmissionResult.Accepted) result;
        Map<String, String> headers = new LinkedHashMap<>(RateLimitResponses.headers(accepted.decision(), now));
        headers.put("Location", "/v1/generations/" + accepted.job().id());
        return jobs.job(202, accepted.job()).withHeaders(headers);
    }

    /** An admitted job as it now is (a creation that waited for its end answers with it). */
    public Reply job(int status, Job job) {
        return jobs.job(status, job);
    }

    /** A refusal by a rate limit (429), or by the daily quota (403 with where the key stands). */
    public Reply refusal(Principal principal, AdmissionDecision.Refused refused, Instant now) {
        if (RateLimitResponses.isQuota(refused)) {
            return RateLimitResponses.quotaExceeded(refused, quotas.body(principal, List.of(), now), now);
        }
        return RateLimitResponses.tooManyRequests(refused, now);
    }
}
