package run.creativeai.gateway.model;

import java.util.Locale;

/** What a job generates; decides the route, the model family and which limits apply. */
public enum JobKind {
    IMAGE,
    VIDEO,
    /** A LoRA trained on a tenant's images: its result is a model of the tenant's own ({@code ft_...}). */
    TRAINING;

    /** The most images one image request may ask for: the API refuses more, and every plan must allow as many. */
    public static final int MAX_IMAGES = 4;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
