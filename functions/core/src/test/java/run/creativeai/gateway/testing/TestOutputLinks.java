package run.creativeai.gateway.testing;

import java.net.URI;
import java.time.Duration;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.job.OutputSigner;

/** Output links for tests: URLs that name the key and the signing time, valid as long as asked. */
public final class TestOutputLinks {
    private TestOutputLinks() {
    }

    public static final OutputSigner SIGNER = (key, now, validity) -> new OutputSigner.Signed(
            URI.create("https://outputs.test/" + key + "?signed=" + now.getEpochSecond()), now.plus(validity));

    /** One hour URLs over a 30-day bucket, the template's defaults. */
    public static OutputLinks standard() {
        return new OutputLinks(SIGNER, Duration.ofHours(1), 30);
    }
}
