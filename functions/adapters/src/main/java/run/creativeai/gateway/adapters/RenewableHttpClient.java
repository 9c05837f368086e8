package run.creativeai.gateway.adapters;

import java.util.function.Supplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An HTTP client that can be replaced under the AWS clients holding it, so that their next calls
 * take none of the connections the JDK keeps from before.
 *
 * <p>The JDK keeps an HTTPS connection for reuse under its host, port and the TLS socket factory that
 * opened it, and the SDK's url-connection client makes one socket factory of its own when it is built.
 * A client built anew therefore opens connections of its own: the ones kept from before are left to
 * the JDK, which closes them once they have been idle for the keep-alive time. That is what a
 * SnapStart snapshot needs (see {@code Priming}): its connections are not there when an instance is
 * restored from it, on another host and up to days later, and a restore that came within the
 * keep-alive time would otherwise send its first calls into them and wait for their timeout. (Plain
 * HTTP connections, the local cloud's, are kept under host and port alone and are reused as before.)
 */
final class RenewableHttpClient implements SdkHttpClient {
    private final Supplier<SdkHttpClient> build;
    private volatile SdkHttpClient current;

    RenewableHttpClient(Supplier<SdkHttpClient> build) {
        this.build = build;
        this.current = build.get();
    }

    /**
     * Builds the client again: calls prepared from now on open new connections. A call already under
     * way finishes on the client it started with, which is left to the collector, not closed.
     */
    void renew() {
        current = build.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return current.prepareRequest(request);
    }

    @Override
    public String clientName() {
        return current.clientName();
    }

    @Override
    public void close() {
        current.close();
    }
}
