package run.creativeai.gateway.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which webhook URLs the gateway will call: https only, and never an address inside a network the
 * gateway can reach but the internet cannot (loopback, private, link-local including the metadata
 * endpoint, unique-local, multicast, unspecified). The local cloud allows loopback explicitly.
 */
public final class WebhookUrlPolicy {
    private final boolean allowLoopback;

    public WebhookUrlPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Why {@code url} is refused, or empty if it is acceptable. */
    public Optional<String> problem(URI url) {
        if (!url.isAbsolute() || url.getHost() == null || url.isOpaque()) {
            return Optional.of("must be an absolute https URL");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("must not contain credentials");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost().toLowerCase(Locale.ROOT);
        boolean loopbackName = host.equals("localhost") || host.endsWith(".localhost");
        Optional<InetAddress> literal = literalAddress(host);
        boolean loopback = loopbackName || literal.map(InetAddress::isLoopbackAddress).orElse(false);
        if (loopback) {
            return allowLoopback && (scheme.equals("http") || scheme.equals("https"))
                    ? Optional.empty()
                    : Optional.of("must not point at a loopback address");
        }
        if (!scheme.equals("https")) {
            return Optional.of("must use https");
        }
        if (literal.isPresent() && !isPublic(literal.get())) {
            return Optional.of("must not point at a private, link-local or reserved address");
        }
        return Optional.empty();
    }

    /** True for an address reachable from the internet; false for every range a webhook must not reach. */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0                                   // "this" network
                    || (first == 100 && second >= 64 && second < 128)  // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19))    // benchmarking
                    || first >= 240);                                       // reserved, broadcast
        }
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return false; // unique-local fc00::/7
        }
        if (isIpv4Mapped(b)) {
            try {
                return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** The address a host written as an IP literal stands for; never a DNS lookup. */
    private static Optional<InetAddress> literalAddress(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = h.matches("[0-9.]+");
        boolean ipv6 = h.contains(":") && h.matches("[0-9a-f:.]+");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
