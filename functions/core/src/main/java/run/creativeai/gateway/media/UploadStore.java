package run.creativeai.gateway.media;

import java.util.Optional;

/** The record of every upload the gateway signed a URL for, kept until it can no longer be used. */
public interface UploadStore {
    void create(Upload upload);

    Optional<Upload> find(UploadId id);
}
