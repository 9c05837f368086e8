package run.creativeai.gateway.adapters.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.util.Timeout;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * The one HTTP client for URLs customers give the gateway (webhook endpoints, input images), built
 * on Apache HttpClient 5 for its pluggable {@link DnsResolver}: every connection's addresses come
 * from the {@link WebhookUrlPolicy}, which resolves the host once and refuses the whole host if any
 * address is one the policy forbids. The addresses it checked are the only ones connected to, so a
 * name cannot pass the check and then rebind to an inside address. No proxy, no redirects, no
 * automatic retries, no cookies, and a hard deadline per exchange: the request is aborted when its
 * time is up, however slowly the other side dribbles its answer.
 */
public final class PinnedHttpClient implements AutoCloseable {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "outbound-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final WebhookUrlPolicy policy;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    /** Built at the first exchange: a function that makes none (an admission without an image URL) loads none of it. */
    private CloseableHttpClient http;

    /** @param socketTimeout the longest the other side may stay silent, waiting for the answer or its next bytes */
    public PinnedHttpClient(WebhookUrlPolicy policy, Duration connectTimeout, Duration socketTimeout) {
        this.policy = policy;
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    private synchronized CloseableHttpClient http() {
        if (http == null) {
            http = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setDnsResolver(new PolicyResolver(policy))
                            .setMaxConnTotal(64)
                            .setMaxConnPerRoute(16)
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(Timeout.of(connectTimeout))
                                    .setSocketTimeout(Timeout.of(socketTimeout))
                                    .build())
                            .build())
                    .disableRedirectHandling()
                    .disableAutomaticRetries()
                    .disableCookieManagement()
                    .disableAuthCaching()
                    .disableContentCompression()
                    .build();
        }
        return http;
    }

    public WebhookUrlPolicy policy() {
        return policy;
    }

    /** Reads what it needs of a response, within the exchange's deadline. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ClassicHttpResponse response) throws IOException;
    }

    /**
     * Sends {@code request} and hands its response to {@code reader}, all within {@code timeout}.
     * The other side may stay silent for the socket timeout at most, however long {@code timeout} is.
     *
     * @throws WebhookUrlPolicy.RefusedAddressException when the host resolves to an address the policy refuses
     * @throws UnknownHostException                       when the host does not resolve
     * @throws DeadlineExceeded                           when the time was up first
     * @throws java.net.SocketTimeoutException           when the other side was silent too long
     * @throws IOException                                for any other failure of the exchange
     */
    public <T> T execute(HttpUriRequestBase request, Duration timeout, Reader<T> reader) throws IOException {
        // The response timeout is the socket's read timeout while the exchange runs: the silence allowed.
        Duration silence = timeout.compareTo(socketTimeout) < 0 ? timeout : socketTimeout;
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(silence))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build());
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = http().executeOpen(null, request, null);
            try {
                return reader.read(response);
            } finally {
                discard(response);
            }
        } catch (UnknownHostException e) {
            throw e;
        } catch (IOException e) {
            // A silence as long as the whole exchange's time is that time running out.
            if (expired.get() || e instanceof InterruptedIOException && silence.equals(timeout)) {
                throw new DeadlineExceeded(timeout);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Closes the response, which discards its connection rather than reading what is left. The
     * reader has what it needed: a connection that fails while being closed (one the other side or a
     * timeout already broke) changes nothing it saw.
     */
    private static void discard(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // Nothing is left to release.
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (http != null) {
            http.close();
        }
    }

    /** The exchange's time ran out. */
    public static final class DeadlineExceeded extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded(Duration timeout) {
            super("timed out after " + timeout.toSeconds() + " s");
        }
    }

    /** Name resolution for connections: only the addresses the URL policy permits. */
    private static final class PolicyResolver implements DnsResolver {
        private final WebhookUrlPolicy policy;

        PolicyResolver(WebhookUrlPolicy policy) {
            this.policy = policy;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return policy.permittedAddresses(host).toArray(InetAddress[]::new);
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return policy.permittedAddresses(host).stream().map(a -> new InetSocketAddress(a, port)).toList();
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
