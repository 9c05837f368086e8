package run.creativeai.gateway.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Turns a webhook URL's host name into addresses. Injected, so the SSRF guard is tested on name
 * resolution without any lookup leaving the machine, and so that the addresses checked are the very
 * addresses connected to (no second lookup for DNS rebinding to exploit).
 */
@FunctionalInterface
public interface HostResolver {

    /** Every address {@code host} (a name, never an IP literal) stands for; never empty. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The platform's resolver: DNS on Lambda. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }

    /**
     * Knows {@code localhost} (and names under {@code .localhost}, RFC 6761) as the loopback
     * addresses and nothing else; the local cloud's resolver, so no name is ever looked up outside
     * the machine.
     */
    static HostResolver loopbackOnly() {
        return host -> {
            String name = host.toLowerCase(Locale.ROOT);
            if (name.equals("localhost") || name.endsWith(".localhost")) {
                return List.of(InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}),
                        InetAddress.getByAddress(name, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
            }
            throw new UnknownHostException(host + " is not a loopback name");
        };
    }
}
