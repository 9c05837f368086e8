package run.creativeai.gateway.media;

import java.util.Optional;
import java.util.regex.Pattern;
import run.creativeai.gateway.config.IdSource;

/** An uploaded input's public identifier, {@code upl_} followed by a time-ordered id. */
public record UploadId(String value) {
    public static final String PREFIX = "upl_";
    private static final Pattern FORMAT = Pattern.compile("upl_[0-9a-z]{26}");

    public UploadId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not an upload id: " + value);
        }
    }

    public static UploadId next(IdSource ids) {
        return new UploadId(PREFIX + ids.next());
    }

    /** For ids arriving from outside (a path, a body): no exception, just absence. */
    public static Optional<UploadId> parse(String value) {
        return value != null && FORMAT.matcher(value).matches() ? Optional.of(new UploadId(value)) : Optional.empty();
    }

    /** Where its bytes live in the uploads bucket: one place, so every function finds the same object. */
    public String objectKey() {
        return "uploads/" + value;
    }

    @Override
    public String toString() {
        return value;
    }
}
