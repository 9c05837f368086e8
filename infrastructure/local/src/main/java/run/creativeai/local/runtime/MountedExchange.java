package run.creativeai.local.runtime;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * One request to a handler mounted beside the API (the local services' control and receiver
 * endpoints, written for the JDK's {@code HttpServer}), seen through the JDK's exchange. The
 * response is kept until the handler returns, then written in one piece: these handlers answer small
 * bodies, and none of them streams.
 */
final class MountedExchange extends HttpExchange {
    private final Request request;
    private final HttpContext context;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final InputStream requestBody;
    private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
    private final Map<String, Object> attributes = new HashMap<>();
    private int status = -1;

    private MountedExchange(Request request, HttpContext context) {
        this.request = request;
        this.context = context;
        for (HttpField field : request.getHeaders()) {
            requestHeaders.add(field.getName(), field.getValue());
        }
        this.requestBody = Request.asInputStream(request);
    }

    /** The status, headers and body a mounted handler answered with. */
    record Answer(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** Runs {@code handler} on {@code request}, mounted under {@code prefix}, and returns its answer. */
    static Answer handle(HttpHandler handler, String prefix, Request request) throws IOException {
        MountedExchange exchange = new MountedExchange(request, new Context(prefix, handler));
        handler.handle(exchange);
        if (exchange.status < 0) {
            throw new IOException("the handler mounted at " + prefix + " returned without answering");
        }
        List<Map.Entry<String, String>> headers = exchange.responseHeaders.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> Map.entry(e.getKey(), v))).toList();
        return new Answer(exchange.status, headers, exchange.responseBody.toByteArray());
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return request.getHttpURI().toURI();
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public void close() {
        // The answer is written once the handler returns.
    }

    @Override
    public InputStream getRequestBody() {
        return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        return responseBody;
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
        if (status >= 0) {
            throw new IllegalStateException("response headers already sent");
        }
        status = code;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return (InetSocketAddress) request.getConnectionMetaData().getLocalSocketAddress();
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        throw new UnsupportedOperationException("mounted handlers read and write the exchange's own streams");
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The mount's path prefix, which the handlers read to find the rest of the path. */
    private static final class Context extends HttpContext {
        private final String path;
        private HttpHandler handler;

        Context(String path, HttpHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        @Override
        public HttpHandler getHandler() {
            return handler;
        }

        @Override
        public void setHandler(HttpHandler handler) {
            this.handler = handler;
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        public HttpServer getServer() {
            throw new UnsupportedOperationException("mounted handlers are not served by a JDK HttpServer");
        }

        @Override
        public Map<String, Object> getAttributes() {
            return Map.of();
        }

        @Override
        public List<Filter> getFilters() {
            return List.of();
        }

        @Override
        public Authenticator setAuthenticator(Authenticator authenticator) {
            throw new UnsupportedOperationException("mounted handlers take no authenticator");
        }

        @Override
        public Authenticator getAuthenticator() {
            return null;
        }
    }
}
