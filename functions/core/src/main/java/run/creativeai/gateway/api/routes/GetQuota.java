package run.creativeai.gateway.api.routes;

import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.Quotas;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;

/** {@code GET /v1/quota}: seed 002's quota view, plus where the key stands on every rule; a read, limited like status reads. */
public final class GetQuota implements Route {
    private final ReadLimit reads;
    private final Quotas quotas;

    public GetQuota(ReadLimit reads, Quotas quotas) {
        this.reads = reads;
        this.quotas = quotas;
    }

    @Override
    public String key() {
        return GatewayApi.GET_QUOTA;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) ->
                new Reply(200, java.util.Map.of(), quotas.body(principal, decision.states(), now)).toResponse());
    }
}
