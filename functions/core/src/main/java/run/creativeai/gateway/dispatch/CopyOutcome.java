package run.creativeai.gateway.dispatch;

import java.util.Objects;

/** What became of copying one provider output into the outputs bucket. */
public sealed interface CopyOutcome permits CopyOutcome.Copied, CopyOutcome.Gone, CopyOutcome.Refused,
        CopyOutcome.Failed {

    /**
     * Stored, with what was measured while streaming it.
     *
     * @param sha256 lower-case hex of the SHA-256 of the bytes stored
     */
    record Copied(long sizeBytes, String sha256, String contentType) implements CopyOutcome {
        public Copied {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /** The provider no longer serves the output (its URL expired, or it deleted the file): asking again cannot help. */
    record Gone(String detail) implements CopyOutcome {
    }

    /** The output may not be fetched at all: its URL is outside what the gateway may call, or it is too large. */
    record Refused(String detail) implements CopyOutcome {
    }

    /** Not copied this time; {@code side} says whose fault, and another try may work. */
    record Failed(Side side, String detail) implements CopyOutcome {
    }

    /** Which end of a copy failed. */
    enum Side {
        /** Reading from the provider: an error status, a timeout, a connection broken mid-stream. */
        SOURCE,
        /** Writing to the outputs bucket. */
        STORAGE
    }
}
