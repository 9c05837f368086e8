package run.creativeai.gateway.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.dispatch.ProgressQueue;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.StandardWebhookSignature;

/**
 * A provider announcing that an attempt ended. The announcement only prompts an immediate progress
 * check: the dispatcher then asks the provider itself, as it does on schedule, so a callback body is
 * never trusted as a result and completion has one path. A callback must carry the provider's
 * signature, in the scheme of its protocol.
 */
public final class ProviderCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCallbacks.class);

    /** Checks that a callback was signed by the provider it claims to come from. */
    @FunctionalInterface
    public interface Verifier {
        boolean verifies(Map<String, String> headers, byte[] body, Instant now);
    }

    /** The verifier of each provider that sends verifiable callbacks. */
    @FunctionalInterface
    public interface Verifiers {
        Optional<Verifier> forProvider(String provider);
    }

    /** The Standard Webhooks scheme (Replicate's): HMAC-SHA256 under a shared {@code whsec_} secret. */
    public static Verifier standardWebhooks(SigningSecret secret) {
        return (headers, body, now) -> StandardWebhookSignature.verifies(secret,
                headers.getOrDefault("webhook-id", ""),
                headers.getOrDefault("webhook-timestamp", ""),
                headers.getOrDefault("webhook-signature", ""),
                body, now);
    }

    private final Verifiers verifiers;
    private final ProgressQueue progress;
    private final Clock clock;

    public ProviderCallbacks(Verifiers verifiers, ProgressQueue progress, Clock clock) {
        this.verifiers = verifiers;
        this.progress = progress;
        this.clock = clock;
    }

    public ApiResponse handle(ApiRequest request) {
        String provider = request.pathParameter("provider").orElse("");
        Optional<JobId> job = request.pathParameter("job").flatMap(JobId::parse);
        Optional<Integer> attempt = request.pathParameter("attempt").filter(a -> a.matches("[1-9][0-9]{0,3}"))
                .map(Integer::parseInt);
        Optional<Verifier> verifier = provider.matches("[a-z0-9-]{1,40}") ? verifiers.forProvider(provider)
                : Optional.empty();
        if (job.isEmpty() || attempt.isEmpty() || verifier.isEmpty()) {
            return ApiError.notFound("no such callback").toResponse();
        }
        if (!verifier.get().verifies(request.headers(), request.body(), clock.instant())) {
            LOG.warn("callback for job {} from {} has no valid signature; ignored", job.get(), provider);
            return ApiError.unauthorized("the callback signature does not verify").toResponse();
        }
        progress.schedule(ProgressCheck.announced(job.get(), attempt.get()), Duration.ZERO);
        return new ApiResponse(204, Map.of(), "");
    }
}
