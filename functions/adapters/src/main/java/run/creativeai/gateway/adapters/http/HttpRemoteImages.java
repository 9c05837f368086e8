package run.creativeai.gateway.adapters.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.media.RemoteImages;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * Copies an image a customer named by URL, through the same {@link PinnedHttpClient} and URL policy
 * as webhooks: the addresses checked are the only ones connected to, redirects are not followed,
 * and the whole exchange has one deadline. The body is read up to the size cap and no further: a
 * declared or actual length past it stops the read.
 */
public final class HttpRemoteImages implements RemoteImages, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRemoteImages.class);

    private final PinnedHttpClient http;

    public HttpRemoteImages(WebhookUrlPolicy policy) {
        this.http = new PinnedHttpClient(policy, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Override
    public Fetch fetch(URI url, long maxBytes, Duration timeout) {
        Optional<String> refused = http.policy().formProblem(url);
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        try {
            return http.execute(new HttpGet(url), timeout, response -> {
                if (response.getCode() != 200) {
                    return new Failed(url.getHost() + " answered HTTP " + response.getCode());
                }
                return read(response.getEntity(), maxBytes);
            });
        } catch (WebhookUrlPolicy.RefusedAddressException e) {
            return new Refused(e.getMessage());
        } catch (UnknownHostException e) {
            return new Refused("host " + clip(url.getHost()) + " could not be resolved");
        } catch (InterruptedIOException e) {
            return new Failed("no complete answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Failed("the connection to " + clip(url.getHost()) + " failed");
        } catch (RuntimeException e) {
            LOG.warn("fetching an image from host {} failed unexpectedly", url.getHost(), e);
            return new Failed("the connection to " + clip(url.getHost()) + " failed");
        }
    }

    private static Fetch read(HttpEntity entity, long maxBytes) throws IOException {
        if (entity == null) {
            return new Fetched(new byte[0]);
        }
        if (entity.getContentLength() > maxBytes) {
            return new TooLarge();
        }
        try (InputStream in = entity.getContent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    return new TooLarge();
                }
                out.write(buffer, 0, n);
            }
            return new Fetched(out.toByteArray());
        }
    }

    private static String clip(String text) {
        return text == null ? "" : text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
