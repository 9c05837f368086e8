package run.creativeai.gateway.media;

import java.net.URI;
import java.util.Objects;

/**
 * Where an input image of a generation comes from, as the customer named it: an upload of theirs,
 * or an https URL. Before a job is admitted a URL's bytes are copied into the uploads bucket, so an
 * admitted job names uploads only and providers see nothing but the gateway's own presigned URLs.
 */
public sealed interface MediaSource permits MediaSource.Upload, MediaSource.Remote {

    /** The wire form: the upload id, or the URL. */
    String wire();

    record Upload(UploadId id) implements MediaSource {
        public Upload {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String wire() {
            return id.value();
        }
    }

    record Remote(URI url) implements MediaSource {
        public Remote {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String wire() {
            return url.toString();
        }
    }

    /** Reads the wire form back: an upload id, else a URL. */
    static MediaSource fromWire(String value) {
        return UploadId.parse(value).<MediaSource>map(Upload::new).orElseGet(() -> new Remote(URI.create(value)));
    }
}
