package run.creativeai.gateway.api.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.JobReplies;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.webhook.WebhookRedelivery;

/**
 * {@code POST /v1/generations/{id}/webhook}: sends the terminal event of a job whose webhook was not
 * delivered again; see {@link WebhookRedelivery}.
 */
public final class RedeliverWebhook implements Route {
    private final JobReplies jobs;
    private final WebhookRedelivery redeliveries;

    public RedeliverWebhook(JobReplies jobs, WebhookRedelivery redeliveries) {
        this.jobs = jobs;
        this.redeliveries = redeliveries;
    }

    @Override
    public String key() {
        return GatewayApi.REDELIVER_WEBHOOK;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Optional<Job> found = jobs.own(request, principal);
        if (found.isEmpty()) {
            return JobReplies.notFound(request);
        }
        Job job = found.get();
        WebhookRedelivery.Result result = redeliveries.request(job);
        if (result instanceof WebhookRedelivery.Refused refused) {
            return new ApiError(409, "invalid_request_error", refused.code(), refused.message(), Optional.empty())
                    .toResponse();
        }
        ObjectNode body = Json.object()
                .put("object", "webhook.redelivery")
                .put("generation_id", job.id().value())
                .put("event_id", ((WebhookRedelivery.Queued) result).eventId())
                .put("webhook_url", job.request().webhookUrl().orElseThrow().toString())
                .put("status", "queued");
        return new Reply(202, Map.of("Location", "/v1/generations/" + job.id()), body).toResponse();
    }
}
