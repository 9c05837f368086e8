package run.creativeai.gateway.provider;

/** Why a provider could not serve: every one of these moves the job to the next link of its chain. */
public enum Unavailability {
    /** 429 or 503: the provider is full. */
    CAPACITY,
    /** Any other 5xx. */
    SERVER_ERROR,
    /** No answer within the adapter's deadline. */
    TIMEOUT,
    /** An answer that does not follow the provider's protocol. */
    MALFORMED_RESPONSE,
    /** The connection failed. */
    UNREACHABLE,
    /** The provider's circuit is open: recent calls failed, so it is skipped until its cool-down ends. */
    CIRCUIT_OPEN;

    /** The name in the API's words: {@code server_error}, {@code timeout}, ... */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Unavailability> fromWire(String name) {
        for (Unavailability kind : values()) {
            if (kind.wireName().equals(name)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
