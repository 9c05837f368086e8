package run.creativeai.gateway.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which webhook URLs the gateway will call, and which addresses it will connect to for them. In
 * production: https only, and only globally reachable addresses: never a block the IANA
 * special-purpose registries mark not globally reachable (loopback, private, carrier-grade NAT,
 * link-local including the 169.254.169.254 metadata endpoint, unique-local, documentation,
 * benchmarking, discard, reserved; see {@link SpecialPurposeAddresses}), multicast, or IPv6 outside
 * global unicast space. A host name is resolved and every address it stands for must pass, at
 * submission ({@link #problem}) and again at delivery ({@link #permittedAddresses}), where the
 * addresses that pass are the only ones connected to.
 * The local cloud's policy is the mirror image: loopback only, so nothing leaves the machine.
 */
public final class WebhookUrlPolicy {
    private static final int MIN_PORT = 1;
    private static final int MAX_PORT = 65535;

    private final boolean loopbackOnly;
    private final HostResolver resolver;

    private WebhookUrlPolicy(boolean loopbackOnly, HostResolver resolver) {
        this.loopbackOnly = loopbackOnly;
        this.resolver = resolver;
    }

    /** Production: public https endpoints only. */
    public static WebhookUrlPolicy publicInternet(HostResolver resolver) {
        return new WebhookUrlPolicy(false, resolver);
    }

    /** The local cloud: http or https, loopback addresses only; names other than localhost are not looked up. */
    public static WebhookUrlPolicy loopbackOnly() {
        return new WebhookUrlPolicy(true, HostResolver.loopbackOnly());
    }

    /** Why {@code url} is refused, or empty if it is acceptable; names are resolved through the policy's resolver. */
    public Optional<String> problem(URI url) {
        Optional<String> form = formProblem(url);
        if (form.isPresent()) {
            return form;
        }
        try {
            permittedAddresses(url.getHost());
            return Optional.empty();
        } catch (RefusedAddressException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of("host " + clip(url.getHost()) + (loopbackOnly
                    ? " is not a loopback name (the local cloud delivers to this machine only)"
                    : " could not be resolved"));
        }
    }

    /**
     * Why the form of {@code url} is refused (scheme, host, credentials, port), or empty if it is
     * acceptable; nothing is resolved. A delivery checks this before it builds a request, so a URL
     * stored before a rule existed becomes a failed attempt, not an exception.
     */
    public Optional<String> formProblem(URI url) {
        if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null) {
            return Optional.of("must be an absolute https URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("must not contain credentials");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeOk = loopbackOnly ? scheme.equals("http") || scheme.equals("https") : scheme.equals("https");
        if (!schemeOk) {
            return Optional.of("must use https");
        }
        // -1 is a URL without a port (the scheme's default); 0 and anything past 65535 name no port at all.
        if (url.getPort() != -1 && (url.getPort() < MIN_PORT || url.getPort() > MAX_PORT)) {
            return Optional.of("must have a port from " + MIN_PORT + " to " + MAX_PORT + ", not " + url.getPort());
        }
        return Optional.empty();
    }

    /**
     * The addresses a delivery to {@code host} may connect to: all of them, or none when any one is
     * refused (a name that points inside the network at all is not trusted with the rest).
     *
     * @throws RefusedAddressException when an address of the host is one webhooks must not reach
     * @throws UnknownHostException    when the host does not resolve
     */
    public List<InetAddress> permittedAddresses(String host) throws UnknownHostException {
        Optional<InetAddress> literal = literalAddress(host);
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> problem = problemWith(address);
            if (problem.isPresent()) {
                throw new RefusedAddressException((literal.isPresent() ? "must not point at " : "host " + clip(host)
                        + " resolves to ") + problem.get());
            }
        }
        return addresses;
    }

    /** Why a connection to {@code address} is refused, or empty if it is allowed. */
    public Optional<String> problemWith(InetAddress address) {
        if (loopbackOnly) {
            return address.isLoopbackAddress() || isMappedLoopback(address) ? Optional.empty()
                    : Optional.of(address.getHostAddress() + ", which is not a loopback address (the local cloud "
                            + "delivers to this machine only)");
        }
        if (address.isLoopbackAddress() || isMappedLoopback(address)) {
            return Optional.of("a loopback address");
        }
        return isPublic(address) ? Optional.empty()
                : Optional.of("a private, link-local or reserved address");
    }

    /**
     * True for an address reachable from the internet; false for every block of the IANA
     * special-purpose registries that is not ({@link SpecialPurposeAddresses}). An address that
     * carries an IPv4 address the connection really goes to (IPv4-mapped, IPv4-compatible, 6to4,
     * the well-known NAT64 prefix) is judged by that IPv4 address; every other form that embeds one
     * (IPv4-translated, local-use NAT64, Teredo) lies in a refused block or outside unicast space.
     */
    public static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            if (isIpv4Mapped(b) || isIpv4Compatible(b)) {
                return isPublic(ipv4(b));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPublic(ipv4(Arrays.copyOfRange(b, 0, 8), 2)); // 6to4 2002::/16 embeds an IPv4 address
            }
            if (b[0] == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && isZero(b, 4, 12)) {
                return isPublic(ipv4(b)); // NAT64 64:ff9b::/96
            }
        }
        return SpecialPurposeAddresses.notGloballyReachable(b).isEmpty();
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMappedLoopback(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 && isIpv4Mapped(b) && (b[12] & 0xff) == 127;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        return isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static boolean isIpv4Compatible(byte[] b) {
        return isZero(b, 0, 12);
    }

    private static InetAddress ipv4(byte[] sixteen) {
        return ipv4(sixteen, 12);
    }

    private static InetAddress ipv4(byte[] bytes, int from) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The address a host written as an IP literal stands for, parsed here and never looked up: an
     * IPv6 literal (the only hosts with a colon), or digits and dots in the forms inet_aton accepts
     * (1 to 4 decimal parts, so {@code 2130706433} is 127.0.0.1). Parts with leading zeros, which
     * some clients read as octal, and malformed digit strings are refused rather than guessed at.
     */
    static Optional<InetAddress> literalAddress(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.contains(":")) {
            // Bracketed, the JDK parses an IPv6 literal or fails; it never looks a bracketed host up.
            return Optional.of(InetAddress.getByName("[" + h + "]"));
        }
        if (!h.matches("[0-9.]+")) {
            return Optional.empty();
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            throw new RefusedAddressException("host " + clip(h) + " is not a valid IP address");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 10 || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new RefusedAddressException("host " + clip(h) + " is not a valid IP address");
            }
            values[i] = Long.parseLong(part);
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw new RefusedAddressException("host " + clip(h) + " is not a valid IP address");
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            throw new RefusedAddressException("host " + clip(h) + " is not a valid IP address");
        }
        address |= last;
        return Optional.of(InetAddress.getByAddress(new byte[] {
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address}));
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** A host that resolves, but to an address webhooks must not reach. */
    public static final class RefusedAddressException extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        RefusedAddressException(String message) {
            super(message);
        }
    }
}
