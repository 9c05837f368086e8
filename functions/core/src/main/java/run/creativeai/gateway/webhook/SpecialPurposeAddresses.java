package run.creativeai.gateway.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address blocks no webhook may reach: the rows of the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries whose "Globally Reachable" is False, as a table, plus what lies outside
 * unicast space altogether. The registries are the reference; a block added there is added here.
 *
 * @see <a href="https://www.iana.org/assignments/iana-ipv4-special-registry/">IANA IPv4 Special-Purpose Address Registry</a>
 * @see <a href="https://www.iana.org/assignments/iana-ipv6-special-registry/">IANA IPv6 Special-Purpose Address Registry</a>
 */
final class SpecialPurposeAddresses {

    /** One row of a registry: a prefix, its length in bits, and the registry's name for it. */
    record Block(byte[] prefix, int bits, String name) {

        static Block of(String cidr, String name) {
            String[] parts = cidr.split("/");
            return new Block(bytes(parts[0]), Integer.parseInt(parts[1]), name);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
                return false;
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Globally Reachable = False in the IPv4 registry (last updated 2025). 192.0.0.0/24 is refused
     * whole: the two globally reachable /32s inside it (Port Control Protocol and TURN anycast,
     * 192.0.0.9 and 192.0.0.10) are protocol anycast, never a customer's endpoint. The terminated
     * 6to4 relay block 192.88.99.0/24 has no row values; its one live row, 6a44, is below.
     */
    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/8", "\"This network\""),
            Block.of("0.0.0.0/32", "\"This host on this network\""),
            Block.of("10.0.0.0/8", "Private-Use"),
            Block.of("100.64.0.0/10", "Shared Address Space"),
            Block.of("127.0.0.0/8", "Loopback"),
            Block.of("169.254.0.0/16", "Link Local"),
            Block.of("172.16.0.0/12", "Private-Use"),
            Block.of("192.0.0.0/24", "IETF Protocol Assignments"),
            Block.of("192.0.0.0/29", "IPv4 Service Continuity Prefix"),
            Block.of("192.0.0.8/32", "IPv4 dummy address"),
            Block.of("192.0.0.170/32", "NAT64/DNS64 Discovery"),
            Block.of("192.0.0.171/32", "NAT64/DNS64 Discovery"),
            Block.of("192.0.2.0/24", "Documentation (TEST-NET-1)"),
            Block.of("192.88.99.2/32", "6a44-relay anycast address"),
            Block.of("192.168.0.0/16", "Private-Use"),
            Block.of("198.18.0.0/15", "Benchmarking"),
            Block.of("198.51.100.0/24", "Documentation (TEST-NET-2)"),
            Block.of("203.0.113.0/24", "Documentation (TEST-NET-3)"),
            Block.of("240.0.0.0/4", "Reserved"),
            Block.of("255.255.255.255/32", "Limited Broadcast"));

    /**
     * Globally Reachable = False in the IPv6 registry (last updated 2025). 2001::/23 is refused
     * whole, Teredo (2001::/32, "N/A") with it: the globally reachable rows inside it (anycast
     * services, AMT, AS112, ORCHIDv2, drone tags) are never a customer's endpoint.
     */
    private static final List<Block> IPV6 = List.of(
            Block.of("::1/128", "Loopback Address"),
            Block.of("::/128", "Unspecified Address"),
            Block.of("::ffff:0:0/96", "IPv4-mapped Address"),
            Block.of("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local use)"),
            Block.of("100::/64", "Discard-Only Address Block"),
            Block.of("100:0:0:1::/64", "Dummy IPv6 Prefix"),
            Block.of("2001::/23", "IETF Protocol Assignments"),
            Block.of("2001:2::/48", "Benchmarking"),
            Block.of("2001:db8::/32", "Documentation"),
            Block.of("3fff::/20", "Documentation"),
            Block.of("5f00::/16", "Segment Routing (SRv6) SIDs"),
            Block.of("fc00::/7", "Unique-Local"),
            Block.of("fe80::/10", "Link-Local Unicast"));

    /** IPv4 multicast (the IANA IPv4 Multicast Address Space Registry): never a unicast endpoint. */
    private static final Block IPV4_MULTICAST = Block.of("224.0.0.0/4", "Multicast");

    /**
     * The only IPv6 space IANA allocates for global unicast (the IANA IPv6 Address Space Registry);
     * everything else is reserved by the IETF, unique-local, link-local or multicast.
     */
    private static final Block IPV6_GLOBAL_UNICAST = Block.of("2000::/3", "Global Unicast");

    private SpecialPurposeAddresses() {
    }

    /**
     * The block that makes {@code address} (4 or 16 bytes) unreachable from the internet, or empty
     * for a globally reachable address. Addresses that embed an IPv4 address are not unwrapped here.
     */
    static Optional<String> notGloballyReachable(byte[] address) {
        if (address.length == 4) {
            if (IPV4_MULTICAST.contains(address)) {
                return Optional.of(IPV4_MULTICAST.name());
            }
            return IPV4.stream().filter(b -> b.contains(address)).findFirst().map(Block::name);
        }
        Optional<String> row = IPV6.stream().filter(b -> b.contains(address)).findFirst().map(Block::name);
        if (row.isPresent() || IPV6_GLOBAL_UNICAST.contains(address)) {
            return row;
        }
        return Optional.of("outside Global Unicast space");
    }

    private static byte[] bytes(String literal) {
        try {
            byte[] parsed = literal.contains(":") ? InetAddress.getByName("[" + literal + "]").getAddress()
                    : InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && parsed.length == 4) {
                // The JDK turns an IPv4-mapped literal into its IPv4 address; the row is the IPv6 block.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(parsed, 0, mapped, 12, 4);
                return mapped;
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }
}
