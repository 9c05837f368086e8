package run.creativeai.gateway.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.webhook.HostResolver;

/**
 * A name resolver answering from a table, so tests of the SSRF guard resolve names without any
 * lookup leaving the machine. An answer can be changed between calls, as a DNS rebinding attacker
 * changes theirs.
 */
public final class FixedResolver implements HostResolver {
    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
    private final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code addresses} are IP literals; they are parsed, never looked up. */
    public FixedResolver answer(String name, String... addresses) {
        List<InetAddress> list = new ArrayList<>();
        for (String address : addresses) {
            list.add(literal(name, address));
        }
        answers.put(name, List.copyOf(list));
        return this;
    }

    public List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        asked.add(host);
        List<InetAddress> found = answers.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    }

    private static InetAddress literal(String name, String address) {
        try {
            byte[] bytes;
            if (address.contains(":")) {
                bytes = InetAddress.getByName("[" + address + "]").getAddress();
            } else {
                String[] parts = address.split("\\.");
                bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
            }
            return InetAddress.getByAddress(name, bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
