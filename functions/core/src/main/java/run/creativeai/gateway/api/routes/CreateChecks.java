package run.creativeai.gateway.api.routes;

import java.time.Duration;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.CancelAfter;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.tenant.TenantStanding;

/** What every create route (a generation, a batch, a workflow, a training) checks before it reads its body. */
final class CreateChecks {
    private CreateChecks() {
    }

    /**
     * That the caller's tenant may create at all (402 while a payment is due), then the request's
     * {@code Cancel-After} (400 naming the header, {@link CancelAfter}); the deadline asked for, empty
     * without one.
     */
    static Parsed<Optional<Duration>> deadline(ApiRequest request, Principal principal) {
        if (principal.standing() == TenantStanding.PAYMENT_REQUIRED) {
            return Parsed.invalid(ApiError.paymentRequired());
        }
        return CancelAfter.of(request, principal);
    }
}
