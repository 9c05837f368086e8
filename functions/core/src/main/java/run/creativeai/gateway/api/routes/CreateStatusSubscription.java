package run.creativeai.gateway.api.routes;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.StatusSubscriptionReplies;
import run.creativeai.gateway.api.StatusSubscriptionRequest;
import run.creativeai.gateway.status.Subscriptions;

/**
 * {@code POST /v1/status/subscriptions {"url":...}}: the caller's tenant is sent every status notice
 * at that URL, signed like its job webhooks. 201 with the subscription; 200 with it when the URL was
 * subscribed already; 400 for a URL a {@code webhook_url} could not be; 409 past the tenant's limit.
 * Counted against the read limit, like every status route that takes a key.
 */
public final class CreateStatusSubscription implements Route {
    private final ReadLimit reads;
    private final GenerationRequestParser urls;
    private final Subscriptions subscriptions;

    public CreateStatusSubscription(ReadLimit reads, GenerationRequestParser urls, Subscriptions subscriptions) {
        this.reads = reads;
        this.urls = urls;
        this.subscriptions = subscriptions;
    }

    @Override
    public String key() {
        return GatewayApi.CREATE_STATUS_SUBSCRIPTION;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            Parsed<URI> url = StatusSubscriptionRequest.parse(request.body(), urls);
            if (url instanceof Parsed.Invalid<URI> invalid) {
                return invalid.error().toResponse();
            }
            Subscriptions.Subscribed result = subscriptions.subscribe(principal.tenantId(),
                    ((Parsed.Valid<URI>) url).value());
            if (result instanceof Subscriptions.Created created) {
                return new Reply(201, Map.of("Location", "/v1/status/subscriptions/" + created.subscription().id()),
                        StatusSubscriptionReplies.view(created.subscription())).toResponse();
            }
            if (result instanceof Subscriptions.Existing existing) {
                return new Reply(200, Map.of(), StatusSubscriptionReplies.view(existing.subscription())).toResponse();
            }
            int limit = ((Subscriptions.LimitReached) result).limit();
            return new ApiError(409, "invalid_request_error", "subscription_limit", "a tenant has at most " + limit
                    + " status subscriptions; delete one (DELETE /v1/status/subscriptions/{id}) first",
                    Optional.empty()).toResponse();
        });
    }
}
