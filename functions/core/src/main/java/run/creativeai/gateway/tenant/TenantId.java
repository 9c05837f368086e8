package run.creativeai.gateway.tenant;

import java.util.regex.Pattern;

/** The customer organisation that owns keys, limits, jobs and a webhook signing secret. */
public record TenantId(String value) {
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9_-]{2,63}");

    public TenantId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a tenant id: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
