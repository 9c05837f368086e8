package run.creativeai.gateway.job;

import java.util.Locale;

/** What a job generates; decides the route, the model family and which limits apply. */
public enum JobKind {
    IMAGE,
    VIDEO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
