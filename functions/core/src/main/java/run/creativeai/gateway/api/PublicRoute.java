package run.creativeai.gateway.api;

import run.creativeai.gateway.access.Principal;

/**
 * A route anyone may call without a key: {@link GatewayApi} answers it without authenticating and
 * only for the keys of {@link GatewayApi#PUBLIC_ROUTE_KEYS}, so no other route can become public by
 * being declared so. It still gets the size limit, the common headers and the 500 guard; its
 * throttle is API Gateway's, per route, in template.yaml.
 */
public interface PublicRoute extends Route {
    ApiResponse handle(ApiRequest request);

    /** A public route does not know who calls, and is never asked as if it did. */
    @Override
    default ApiResponse handle(ApiRequest request, Principal principal) {
        return handle(request);
    }
}
