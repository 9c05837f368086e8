package run.creativeai.gateway.dispatch;

import java.net.URI;
import java.time.Duration;
import run.creativeai.gateway.media.UploadId;

/**
 * Signs the URL a provider fetches an input image from: a GET of the uploads bucket, or of the
 * outputs bucket for a workflow step's input that an earlier step stored, valid for {@code valid}.
 */
public interface InputUrls {
    URI signed(UploadId upload, Duration valid);

    /** A stored output ({@code outputs/...} of the outputs bucket), for a step that takes an earlier step's output. */
    URI signedOutput(String key, Duration valid);

    /** Uploads alone: for a dispatcher that is given no workflow's steps. */
    static InputUrls uploadsOnly(java.util.function.BiFunction<UploadId, Duration, URI> uploads) {
        return new InputUrls() {
            @Override
            public URI signed(UploadId upload, Duration valid) {
                return uploads.apply(upload, valid);
            }

            @Override
            public URI signedOutput(String key, Duration valid) {
                throw new IllegalStateException("this dispatcher signs no stored outputs: " + key);
            }
        };
    }
}
