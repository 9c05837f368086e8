package run.creativeai.gateway.api.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.PublicRoute;

/**
 * {@code GET /v1/openapi.json}, public: the API's OpenAPI 3.1 document, {@code api/openapi.json} of the
 * repository as the build copied it into the jar, so what is served is what the build checked.
 * Cacheable, with a strong {@code ETag}; any page may read it (a client generator in a browser).
 */
public final class GetOpenApi implements PublicRoute {
    private static final String RESOURCE = "/openapi.json";
    /** Clients and generators fetch it rarely; an hour keeps a deployment's change visible the same day. */
    static final String CACHE_CONTROL = "public, max-age=3600";

    private final String document;
    private final String etag;

    public GetOpenApi() {
        try (InputStream in = GetOpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the function's jar");
            }
            this.document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.etag = "\"" + sha256(document) + "\"";
    }

    @Override
    public String key() {
        return GatewayApi.GET_OPENAPI;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", CACHE_CONTROL);
        headers.put("ETag", etag);
        headers.put("Access-Control-Allow-Origin", "*");
        boolean unchanged = request.header("if-none-match").map(sent -> matches(sent, etag)).orElse(false);
        if (unchanged) {
            return new ApiResponse(304, headers, "");
        }
        headers.put("Content-Type", "application/json");
        return new ApiResponse(200, headers, document);
    }

    /** RFC 9110 If-None-Match: a list of entity tags, or {@code *}; weak comparison. */
    private static boolean matches(String header, String etag) {
        for (String tag : header.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
