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

    /**
     * Why the zip at {@code url} cannot be trained on (not downloadable, not a zip, no image in it),
     * or empty when every entry of it is an image, as a trainer checks its dataset.
     */
    static Optional<String> archiveProblem(SimulatedProvider provider, String url) {
        Optional<byte[]> bytes = download(provider, url);
        if (bytes.isEmpty()) {
            return Optional.of("could not download " + url);
        }
        int images = 0;
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(bytes.get()))) {
            for (java.util.zip.ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!isImage(zip.readNBytes(12))) {
                    return Optional.of(entry.getName() + " in " + url + " is not a valid image");
                }
                images++;
            }
        } catch (IOException e) {
            return Optional.of("the file at " + url + " is not a zip archive");
        }
        return images == 0 ? Optional.of("the archive at " + url + " holds no images") : Optional.empty();
    }

    /**
     * Downloads LoRA weights as a provider does before it runs them, and notes which training made
     * them; the problem, when they cannot be downloaded or are not weights.
     */
    static Optional<String> weightsProblem(SimulatedProvider provider, String url) {
        Optional<String> training = download(provider, url).flatMap(SampleMedia::trainingOf);
        if (training.isEmpty()) {
            return Optional.of("could not load LoRA weights from " + url);
        }
        provider.weightsSeen.add(training.get());
        return Optional.empty();
    }

    private static Optional<byte[]> download(SimulatedProvider provider, String url) {
        Optional<URI> uri = SimulatedProviders.loopback(url);
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        provider.inputsFetched.incrementAndGet();
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri.get()).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
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
