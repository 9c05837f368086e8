package run.creativeai.local.services;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What a provider does with an input image URL before it accepts a job: downloads it and looks at
 * what it got. Only loopback URLs are fetched (the local S3's presigned GETs), so nothing leaves the
 * machine; anything else, an answer other than 200, or bytes that are not a PNG, JPEG or WebP image
 * is a problem the provider refuses the job for, with its own 4xx.
 */
final class ProviderInputs {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private ProviderInputs() {
    }

    /** Why the image at {@code url} cannot be used, or empty when it was downloaded and is an image. */
    static Optional<String> problem(SimulatedProvider provider, String url) {
        Optional<URI> uri = SimulatedProviders.loopback(url);
        if (uri.isEmpty()) {
            return Optional.of("could not download " + url);
        }
        provider.inputsFetched.incrementAndGet();
        provider.inputUrls.add(url);
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri.get()).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return Optional.of("could not download " + url + ": HTTP " + response.statusCode());
                }
                byte[] head = body.readNBytes(12);
                return isImage(head) ? Optional.empty() : Optional.of("the file at " + url + " is not a valid image");
            }
        } catch (IOException e) {
            return Optional.of("could not download " + url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("could not download " + url);
        }
    }

    private static boolean isImage(byte[] b) {
        boolean png = b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
        boolean jpeg = b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
        boolean webp = b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W'
                && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
        return png || jpeg || webp;
    }
}
