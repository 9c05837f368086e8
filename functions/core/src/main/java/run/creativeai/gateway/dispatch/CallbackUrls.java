package run.creativeai.gateway.dispatch;

import java.net.URI;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;

/**
 * Where providers announce the end of an attempt: {@code <api>/v1/providers/{provider}/jobs/{job}/attempts/{n}/callback}.
 * Without a public base URL (a deployment that disables callbacks) attempts finish by polling alone.
 */
public final class CallbackUrls {
    public static final String ROUTE_KEY = "POST /v1/providers/{provider}/jobs/{job}/attempts/{attempt}/callback";

    private final Optional<URI> base;

    public CallbackUrls(Optional<URI> base) {
        this.base = base.map(b -> URI.create(b.toString().replaceAll("/+$", "")));
    }

    public Optional<URI> forAttempt(String provider, JobId job, int attempt) {
        return base.map(b -> URI.create(b + path(provider, job, attempt)));
    }

    /** The path of an attempt's callback, {@link #ROUTE_KEY}'s with its parameters filled in. */
    public static String path(String provider, JobId job, int attempt) {
        return "/v1/providers/" + provider + "/jobs/" + job.value() + "/attempts/" + attempt + "/callback";
    }
}
