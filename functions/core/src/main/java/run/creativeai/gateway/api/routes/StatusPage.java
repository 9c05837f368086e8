package run.creativeai.gateway.api.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.PublicRoute;

/**
 * {@code GET /status}, public: the status page, one HTML file with its script inline (no build step),
 * which reads {@code GET /v1/status} and draws it, refreshing itself. Its Content-Security-Policy
 * allows that one script, by its hash, and nothing from elsewhere.
 */
public final class StatusPage implements PublicRoute {
    private static final String RESOURCE = "/status-page.html";

    private final String html;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public StatusPage() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the function's jar");
            }
            this.html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int open = html.indexOf("<script>");
        int close = html.indexOf("</script>");
        if (open < 0 || close < open) {
            throw new IllegalStateException(RESOURCE + " has no inline script");
        }
        String script = html.substring(open + "<script>".length(), close);
        headers.put("Content-Type", "text/html; charset=utf-8");
        headers.put("Cache-Control", GetStatus.CACHE_CONTROL);
        headers.put("Content-Security-Policy", "default-src 'none'; connect-src 'self'; img-src 'self' data:; "
                + "style-src 'unsafe-inline'; script-src 'sha256-" + sha256(script) + "'; base-uri 'none'; "
                + "frame-ancestors 'none'; form-action 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
    }

    @Override
    public String key() {
        return GatewayApi.STATUS_PAGE;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return new ApiResponse(200, headers, html);
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
