package run.creativeai.gateway.adapters.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * GETs the files providers hand out as results, through the {@link PinnedHttpClient}: a provider
 * names the URL, so it gets the same outbound rules as a customer's webhook or image URL (https to
 * public addresses in production, loopback only in the local cloud). The body is handed over as a
 * stream, read as it arrives; a download that outlives its deadline is aborted, however slowly its
 * server dribbles.
 */
public final class OutputDownloads implements AutoCloseable {
    private final PinnedHttpClient http;

    /** @param idle the longest wait for the connection or for the next bytes of the answer */
    public OutputDownloads(WebhookUrlPolicy policy, Duration idle) {
        this.http = new PinnedHttpClient(policy, idle, idle);
    }

    /** What the server answered: read {@code body} (for a 2xx) within the download's deadline. */
    public record Answer(int status, Optional<String> contentType, OptionalLong length, InputStream body) {
    }

    /** What is done with an answer, while its connection is open. */
    @FunctionalInterface
    public interface Handler<T> {
        T handle(Answer answer);
    }

    /** What a GET came to: the handler's result, or why the server was never heard. */
    public sealed interface Result<T> permits Handled, Refused, Unreachable {
    }

    /** The server answered and the handler made {@code value} of it. */
    public record Handled<T>(T value) implements Result<T> {
    }

    /** The URL is one the outbound policy refuses: its form, or an address it resolves to. */
    public record Refused<T>(String detail) implements Result<T> {
    }

    /** No answer: no connection, a timeout, a name that did not resolve in time. */
    public record Unreachable<T>(String detail) implements Result<T> {
    }

    /** GETs {@code url} and hands the answer to {@code handler}, all within {@code deadline}. */
    public <T> Result<T> get(URI url, Duration deadline, Handler<T> handler) {
        Optional<String> refused = http.policy().formProblem(url);
        if (refused.isPresent()) {
            return new Refused<>("its URL " + refused.get());
        }
        try {
            T handled = http.execute(new HttpGet(url), deadline, response -> {
                HttpEntity entity = response.getEntity();
                InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
                Header type = response.getFirstHeader("Content-Type");
                OptionalLong length = entity == null || entity.getContentLength() < 0 ? OptionalLong.empty()
                        : OptionalLong.of(entity.getContentLength());
                return handler.handle(new Answer(response.getCode(), Optional.ofNullable(type).map(Header::getValue),
                        length, body));
            });
            return new Handled<>(handled);
        } catch (WebhookUrlPolicy.RefusedAddressException e) {
            return new Refused<>(e.getMessage());
        } catch (UnknownHostException e) {
            return new Refused<>("its host " + url.getHost() + " could not be resolved");
        } catch (IOException e) {
            return new Unreachable<>(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
