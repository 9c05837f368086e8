package run.creativeai.gateway.tenant;

/** The public id of one API key; limits per key count under it, never under the key or its hash. */
public record KeyId(String value) {
    public KeyId {
        if (value == null || !value.matches("key_[0-9a-z]{4,40}")) {
            throw new IllegalArgumentException("not a key id: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
