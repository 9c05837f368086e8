package run.creativeai.gateway.adapters.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * The one way the gateway calls a URL someone else gave it (a customer's webhook, a provider's output
 * file): Apache HttpClient 5 whose every connection's addresses come from the {@link WebhookUrlPolicy},
 * which resolves the host once and refuses the whole host if any address is loopback, private,
 * link-local or reserved. The addresses it checked are the only ones connected to, so a name cannot
 * pass the check and then rebind to an inside address. No proxy, no redirects, no automatic retries,
 * no cookies, no decompression.
 */
final class PolicyBoundHttp {
    private PolicyBoundHttp() {
    }

    static CloseableHttpClient client(WebhookUrlPolicy policy, int maxConnections, Timeout connect, Timeout socket) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyResolver(policy))
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(Math.max(1, maxConnections / 4))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(socket)
                                .build())
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
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
