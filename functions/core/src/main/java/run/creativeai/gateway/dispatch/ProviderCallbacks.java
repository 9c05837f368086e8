package run.creativeai.gateway.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.StandardWebhookSignature;

/**
 * A provider announcing that an attempt ended. The announcement only prompts an immediate progress
 * check: the dispatcher then asks the provider itself, as it does on schedule, so a callback body is
 * never trusted as a result and completion has one path. A callback must carry the provider's
 * Standard Webhooks signature.
 */
public final class ProviderCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCallbacks.class);

    /** Each provider's callback signing secret, where it sends verifiable callbacks. */
    @FunctionalInterface
    public interface Secrets {
        Optional<SigningSecret> forProvider(String provider);
    }

    private final Secrets secrets;
    private final ProgressQueue progress;
    private final Clock clock;

    public ProviderCallbacks(Secrets secrets, ProgressQueue progress, Clock clock) {
        this.secrets = secrets;
        this.progress = progress;
        this.clock = clock;
    }

    public ApiResponse handle(ApiRequest request) {
        String provider = request.pathParameter("provider").orElse("");
        Optional<JobId> job = request.pathParameter("job").flatMap(JobId::parse);
        Optional<Integer> attempt = request.pathParameter("attempt").filter(a -> a.matches("[1-9][0-9]{0,3}"))
                .map(Integer::parseInt);
        Optional<SigningSecret> secret = provider.matches("[a-z0-9-]{1,40}") ? secrets.forProvider(provider)
                : Optional.empty();
        if (job.isEmpty() || attempt.isEmpty() || secret.isEmpty()) {
            return ApiError.notFound("no such callback").toResponse();
        }
        boolean genuine = StandardWebhookSignature.verifies(secret.get(),
                request.header("webhook-id").orElse(""),
                request.header("webhook-timestamp").orElse(""),
                request.header("webhook-signature").orElse(""),
                request.body(), clock.instant());
        if (!genuine) {
            LOG.warn("callback for job {} from {} has no valid signature; ignored", job.get(), provider);
            return ApiError.unauthorized("the callback signature does not verify").toResponse();
        }
        progress.schedule(ProgressCheck.announced(job.get(), attempt.get()), Duration.ZERO);
        return new ApiResponse(204, Map.of(), "");
    }
}
