package run.creativeai.gateway.api;

/** Input read from a request: either a value that passed every check, or the 4xx that says why not. */
public sealed interface Parsed<T> permits Parsed.Valid, Parsed.Invalid {

    record Valid<T>(T value) implements Parsed<T> {
    }

    record Invalid<T>(ApiError error) implements Parsed<T> {
    }

    static <T> Parsed<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Parsed<T> invalid(ApiError error) {
        return new Invalid<>(error);
    }
}
