package run.creativeai.gateway.dispatch;

import java.net.URI;
import java.time.Duration;
import run.creativeai.gateway.media.UploadId;

/** Signs the URL a provider fetches an input image from: a GET of the uploads bucket, valid for {@code valid}. */
@FunctionalInterface
public interface InputUrls {
    URI signed(UploadId upload, Duration valid);
}
