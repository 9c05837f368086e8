package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionResult;
import run.creativeai.gateway.admission.QueueReading;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;

/**
 * How an admission is answered, in one place for every creation route and every task of a batch:
 * 202 with the job and the limit headers, 429 or the daily-quota 403 for a refusal, 402 when the
 * tenant's credits or the key's daily budget cannot cover the job, 503 with Retry-After when the
 * queue is full or could not be reached. Both the 202 and the queue-full 503 carry {@value #QUEUE_DEPTH}.
 */
public final class AdmissionReplies {
    /**
     * Jobs waiting in the tier's queue as admission read it (SQS's approximate count, read at most
     * once a second per instance): on every creation answer that got as far as the queue.
     */
    public static final String QUEUE_DEPTH = "X-Queue-Depth";

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
        if (result instanceof AdmissionResult.Unfunded unfunded) {
            return insufficientCredits(unfunded.decision(), now);
        }
        if (result instanceof AdmissionResult.OverKeyBudget over) {
            return keyBudgetExceeded(over.decision(), over.required(), now);
        }
        if (result instanceof AdmissionResult.QueueFull full) {
            String seconds = Long.toString(full.retryAfter().toSeconds());
            return Reply.of(ApiError.serviceUnavailable("the " + principal.plan().tier().wireName()
                    + " queue is full; nothing was queued or counted, retry in " + seconds + " s"))
                    .withHeaders(Map.of("Retry-After", seconds, QUEUE_DEPTH, Long.toString(full.queue().pending())));
        }
        if (result instanceof AdmissionResult.QueueUnavailable unavailable) {
            return Reply.of(ApiError.serviceUnavailable("the job queue is unavailable; job " + unavailable.job().id()
                    + " was not started, submit it again")).withHeaders(Map.of("Retry-After", "1"));
        }
        AdmissionResult.Accepted accepted = (AdmissionResult.Accepted) result;
        Map<String, String> headers = new LinkedHashMap<>(RateLimitResponses.headers(accepted.decision(), now));
        headers.put("Location", "/v1/generations/" + accepted.job().id());
        headers.put(QUEUE_DEPTH, Long.toString(accepted.queue().pending()));
        return jobs.job(202, accepted.job(), accepted.queue(), now).withHeaders(headers);
    }

    /** An admitted job as it now is (a creation that waited for its end answers with it). */
    public Reply job(int status, Job job) {
        return jobs.job(status, job);
    }

    /**
     * 402: the tenant's spendable credits cannot cover the most the job may cost. Nothing was counted
     * or reserved; {@code balance} and {@code required} say by how much it fell short.
     */
    static Reply insufficientCredits(AdmissionDecision.InsufficientCredits unfunded, Instant now) {
        ObjectNode body = new ApiError(402, "billing_error", "insufficient_credits", "this job may cost "
                + unfunded.required() + " credits (the most any model of its failover chain charges for it) and "
                + unfunded.balance() + " are available; add credits and submit it again", Optional.empty()).body();
        body.put("balance", unfunded.balance()).put("required", unfunded.required());
        return new Reply(402, RateLimitResponses.headers(unfunded, now), body);
    }

    /**
     * 402: the key's own daily budget of credits ({@code max_credits_per_day}) cannot cover the job.
     * Nothing was counted or reserved; the body names the budget, what is left of it today and when it
     * starts again.
     */
    static Reply keyBudgetExceeded(AdmissionDecision.Refused refused, long required, Instant now) {
        LimitState budget = refused.refusedBy();
        ObjectNode body = new ApiError(402, "billing_error", "key_budget_exceeded", "this key's budget "
                + budget.rule().id() + " allows " + budget.limit() + " credits a day and " + budget.remaining()
                + " are left today; this job may cost " + required + " credits; the budget starts again at "
                + Instant.ofEpochSecond(RateLimitResponses.epochSecondsRoundedUp(budget.resetAt())), Optional.empty()).body();
        ((ObjectNode) body.get("error")).put("budget", budget.rule().id());
        body.putObject("budget")
                .put("name", budget.rule().id())
                .put("limit", budget.limit())
                .put("used", budget.used())
                .put("remaining", budget.remaining())
                .put("reset_at", Instant.ofEpochSecond(RateLimitResponses.epochSecondsRoundedUp(budget.resetAt())).toString());
        body.put("required", required);
        return new Reply(402, RateLimitResponses.headers(refused, now), body);
    }

    /** The same, with the queue admission read while the job is still in it. */
    public Reply job(int status, Job job, QueueReading queue, Instant now) {
        return jobs.job(status, job, queue, now);
    }

    /**
     * The answer to a creation that was not admitted ({@code AdmissionService.admitCreation}: a
     * workflow's, a training's), as for a job: 429 naming the rule, 402 when the tenant's credits or
     * the key's budget cannot cover {@code credits}. Empty when it was admitted: the route then answers
     * with what it created, and {@link RateLimitResponses#headers} of the decision.
     */
    public Optional<Reply> refusal(Principal principal, AdmissionDecision decision, long credits) {
        Instant now = clock.instant();
        if (decision instanceof AdmissionDecision.InsufficientCredits unfunded) {
            return Optional.of(insufficientCredits(unfunded, now));
        }
        if (decision instanceof AdmissionDecision.Refused refused) {
            return Optional.of(refused.refusedBy().rule().enforcement() == RateLimitRule.Enforcement.BUDGET
                    ? keyBudgetExceeded(refused, credits, now) : refusal(principal, refused, now));
        }
        return Optional.empty();
    }

    /** A refusal by a rate limit (429), or by the daily quota (403 with where the key stands). */
    public Reply refusal(Principal principal, AdmissionDecision.Refused refused, Instant now) {
        if (RateLimitResponses.isQuota(refused)) {
            return RateLimitResponses.quotaExceeded(refused, quotas.body(principal, List.of(), now), now);
        }
        return RateLimitResponses.tooManyRequests(refused, now);
    }
}
