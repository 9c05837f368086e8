package run.creativeai.local.services;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Every HTTP server of the local cloud (the API, the simulated services) is made here: bound to
 * loopback, and with TCP_NODELAY on its connections. The JDK server leaves Nagle's algorithm on by
 * default, so a response written as headers then body waits for the client's delayed ACK: about 40 ms
 * added to each small request on Linux loopback, a stall that API Gateway and the real services do not
 * have and that the ingress benchmark measured as most of the local API's overhead.
 */
public final class LoopbackHttpServers {
    static {
        // Read once, when the JDK's server configuration is first loaded; hence before any server exists.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttpServers() {
    }

    public static HttpServer create(int port, int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    }
}
