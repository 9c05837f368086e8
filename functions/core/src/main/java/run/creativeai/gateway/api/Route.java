package run.creativeai.gateway.api;

import run.creativeai.gateway.access.Principal;

/**
 * One route of the v1 API: its key as template.yaml declares it, and its answer to a request that
 * {@link GatewayApi} has already authenticated and checked for size.
 */
public interface Route {
    String key();

    ApiResponse handle(ApiRequest request, Principal principal);
}
