package run.creativeai.gateway.model;

import java.util.List;

/**
 * The output formats a request may ask for: image sizes, and video resolutions and lengths. The
 * request parser accepts exactly these, and the price list must price every one of them.
 */
public final class MediaFormats {
    public static final List<String> IMAGE_SIZES = List.of("512x512", "768x768", "1024x1024", "1024x1792",
            "1792x1024", "2048x2048");
    /** The size of an image request that names none. */
    public static final String DEFAULT_IMAGE_SIZE = "1024x1024";
    /**
     * Video resolutions. A request names one with {@code resolution}, or gets {@link #DEFAULT_VIDEO_RESOLUTION};
     * video is priced per second of the resolution asked for, whichever provider serves it.
     */
    public static final List<String> VIDEO_RESOLUTIONS = List.of("720p", "1080p");
    public static final String DEFAULT_VIDEO_RESOLUTION = "720p";
    /** Clip lengths in seconds. */
    public static final List<Integer> VIDEO_DURATIONS = List.of(5, 10);

    private MediaFormats() {
    }
}
