package run.creativeai.gateway.adapters.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.webhook.WebhookTransport;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * POSTs webhook events through the {@link PinnedHttpClient}: only addresses the {@link WebhookUrlPolicy}
 * checked are connected to, no redirects, no automatic retries (one attempt is one POST), and a hard
 * deadline per attempt. The response body is never read. Every outcome, an unexpected exception
 * included, comes back as a {@link Response}: one attempt, one record.
 */
public final class HttpWebhookTransport implements WebhookTransport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpWebhookTransport.class);

    private final PinnedHttpClient http;
    private final WebhookUrlPolicy policy;
    private final Clock clock;

    public HttpWebhookTransport(WebhookUrlPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.http = new PinnedHttpClient(policy, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Override
    public Response post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        Instant start = clock.instant();
        // A URL stored before a rule of the policy existed must still end as a recorded attempt.
        Optional<String> refused = policy.formProblem(url);
        if (refused.isPresent()) {
            return failure("refused: webhook_url " + refused.get(), start);
        }
        try {
            return send(url, headers, body, timeout, start);
        } catch (RuntimeException e) {
            // Whatever the client library throws is one failed attempt, never a lost message.
            LOG.warn("webhook POST to host {} failed unexpectedly", url.getHost(), e);
            return failure("not sent: the request could not be made", start);
        }
    }

    private Response send(URI url, Map<String, String> headers, byte[] body, Duration timeout, Instant start) {
        HttpPost request = new HttpPost(url);
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                request.setHeader(name, value);
            }
        });
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON.withCharset((String) null)));
        try {
            // Closing without reading the body discards the connection; nothing the endpoint sends is read.
            int status = http.execute(request, timeout, response -> response.getCode());
            return new Response(Optional.of(status), Optional.empty(), Duration.between(start, clock.instant()));
        } catch (WebhookUrlPolicy.RefusedAddressException e) {
            return failure("refused: " + e.getMessage(), start);
        } catch (UnknownHostException e) {
            return failure("refused: host " + url.getHost() + " could not be resolved", start);
        } catch (InterruptedIOException e) {
            return failure("timed out after " + timeout.toSeconds() + " s", start);
        } catch (IOException e) {
            return failure(describe(e), start);
        }
    }

    /**
     * What went wrong, in words a tenant reads in its subscription's or job's last delivery (never a
     * class name of the HTTP library).
     */
    static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof NoHttpResponseException) {
            return "the endpoint closed the connection without answering";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SocketException) {
            return "connection reset";
        }
        return "connection failed";
    }

    private Response failure(String error, Instant start) {
        return new Response(Optional.empty(), Optional.of(error), Duration.between(start, clock.instant()));
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
