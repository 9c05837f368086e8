package run.creativeai.gateway.uploads;

/**
 * Why an input image cannot be used, for the field that named it; the API turns it into a 4xx
 * with that field as {@code param}. Nothing was admitted or counted when this is returned.
 */
public record InputRefusal(String field, Reason reason, String message) {

    public enum Reason {
        /** No such upload, or another tenant's: the two are told apart by no one. */
        NOT_FOUND,
        EXPIRED,
        NOT_UPLOADED,
        NOT_AN_IMAGE,
        TYPE_MISMATCH,
        TOO_LARGE,
        TOO_MANY_PIXELS,
        URL_REFUSED,
        URL_UNREACHABLE
    }
}
