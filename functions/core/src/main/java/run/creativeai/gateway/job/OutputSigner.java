package run.creativeai.gateway.job;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** Signs a time-limited download URL for one stored output. */
public interface OutputSigner {

    /**
     * A URL that downloads the object {@code key} without credentials, asked to work for
     * {@code validity} from {@code now}.
     */
    Signed sign(String key, Instant now, Duration validity);

    /**
     * @param expiresAt when the URL really stops working: the end of the validity asked for, or
     *                  earlier when the credentials that signed it expire first
     */
    record Signed(URI url, Instant expiresAt) {
    }
}
