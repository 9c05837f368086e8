package run.creativeai.gateway.adapters.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * GETs the files providers hand out as results, through {@link PolicyBoundHttp}: a provider names
 * the URL, so it gets the same outbound rules as a customer's webhook (https to public addresses in
 * production, loopback only in the local cloud). The body is a stream, read as it arrives; a download
 * that outlives its deadline is aborted, however slowly its server dribbles.
 */
public final class OutputDownloads implements AutoCloseable {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "download-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final CloseableHttpClient http;
    private final WebhookUrlPolicy policy;

    /**
     * @param idle the longest wait for the connection or for the next bytes of the answer
     */
    public OutputDownloads(WebhookUrlPolicy policy, Duration idle) {
        this.policy = policy;
        this.http = PolicyBoundHttp.client(policy, 40, Timeout.of(idle), Timeout.of(idle));
    }

    /** What asking for a file came to. */
    public sealed interface Download permits Opened, Refused, Unreachable {
    }

    /**
     * The server answered; read {@code body} (only for a 2xx), then close the download.
     *
     * @param length the declared Content-Length, when there is one
     */
    public record Opened(int status, Optional<String> contentType, OptionalLong length, InputStream body,
            AutoCloseable connection) implements Download, AutoCloseable {
        @Override
        public void close() {
            try {
                connection.close();
            } catch (Exception e) {
                // Closing a connection that failed mid-stream fails too; nothing is left to release.
            }
        }
    }

    /** The URL is one the outbound policy refuses: its form, or an address it resolves to. */
    public record Refused(String detail) implements Download {
    }

    /** No answer: no connection, a timeout before the status line, a name that did not resolve. */
    public record Unreachable(String detail) implements Download {
    }

    /** Opens a GET of {@code url} that is aborted at the latest {@code deadline} from now. */
    public Download open(URI url, Duration deadline) {
        Optional<String> refused = policy.formProblem(url);
        if (refused.isPresent()) {
            return new Refused("its URL " + refused.get());
        }
        HttpGet request = new HttpGet(url);
        request.setConfig(RequestConfig.custom().setConnectionRequestTimeout(Timeout.of(deadline)).build());
        ScheduledFuture<?> abort = DEADLINES.schedule(request::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response;
        try {
            response = http.executeOpen(null, request, null);
        } catch (WebhookUrlPolicy.RefusedAddressException e) {
            abort.cancel(false);
            return new Refused(e.getMessage());
        } catch (UnknownHostException e) {
            abort.cancel(false);
            return new Refused("its host " + url.getHost() + " could not be resolved");
        } catch (IOException e) {
            abort.cancel(false);
            return new Unreachable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        HttpEntity entity = response.getEntity();
        InputStream body;
        try {
            body = entity == null ? InputStream.nullInputStream() : entity.getContent();
        } catch (IOException e) {
            close(response, abort);
            return new Unreachable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Header type = response.getFirstHeader("Content-Type");
        OptionalLong length = entity == null || entity.getContentLength() < 0 ? OptionalLong.empty()
                : OptionalLong.of(entity.getContentLength());
        return new Opened(response.getCode(), Optional.ofNullable(type).map(Header::getValue), length, body,
                () -> close(response, abort));
    }

    private static void close(ClassicHttpResponse response, ScheduledFuture<?> abort) {
        abort.cancel(false);
        try {
            response.close();
        } catch (IOException e) {
            // Nothing is left to release.
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
