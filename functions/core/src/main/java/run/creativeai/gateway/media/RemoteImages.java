package run.creativeai.gateway.media;

import java.net.URI;
import java.time.Duration;

/**
 * Fetches an image a customer named by URL, under the same rules as webhooks: only addresses the
 * URL policy permits are connected to, no redirects, at most {@code maxBytes} read, one deadline.
 */
@FunctionalInterface
public interface RemoteImages {

    Fetch fetch(URI url, long maxBytes, Duration timeout);

    sealed interface Fetch permits Fetched, Refused, TooLarge, Failed {
    }

    record Fetched(byte[] bytes) implements Fetch {
    }

    /** The URL or an address it resolves to is one the policy refuses. */
    record Refused(String why) implements Fetch {
    }

    record TooLarge() implements Fetch {
    }

    /** No answer, an answer other than 200, or no answer in time. */
    record Failed(String why) implements Fetch {
    }
}
