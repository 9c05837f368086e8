package run.creativeai.gateway.media;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The image formats the gateway takes as inputs, each known by its content type and its magic bytes. */
public enum ImageFormat {
    PNG("image/png"),
    JPEG("image/jpeg"),
    WEBP("image/webp");

    private final String contentType;

    ImageFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<ImageFormat> fromContentType(String value) {
        // Media types are case-insensitive (RFC 2045); nothing else about them is loosened.
        String type = value.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.contentType.equals(type)).findFirst();
    }

    public static List<String> contentTypes() {
        return Arrays.stream(values()).map(ImageFormat::contentType).toList();
    }
}
