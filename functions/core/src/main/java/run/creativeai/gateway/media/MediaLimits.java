package run.creativeai.gateway.media;

import java.time.Duration;

/**
 * What an input image may be. Sizes are checked on the stored object and pixel dimensions on its
 * header, read before anything decodes it, so a small file that would decompress into gigabytes
 * (a decompression bomb) is refused by its declared dimensions.
 *
 * @param maxBytes       the largest upload and the largest URL copied
 * @param maxSide        the most pixels on either side
 * @param maxPixels      the most pixels in all (width times height)
 * @param uploadUrlValid how long a presigned upload URL may be used
 * @param retention      how long an upload may be named by jobs after it was created (the uploads
 *                       bucket's lifecycle rule keeps it at least that long)
 * @param fetchTimeout   the whole time allowed to copy an {@code https} image into the bucket
 */
public record MediaLimits(long maxBytes, int maxSide, long maxPixels, Duration uploadUrlValid, Duration retention,
        Duration fetchTimeout) {
    public static final long MAX_BYTES = 20L * 1024 * 1024;
    public static final int MAX_SIDE = 8192;
    public static final long MAX_PIXELS = 40_000_000L;

    public static MediaLimits standard(Duration retention) {
        return new MediaLimits(MAX_BYTES, MAX_SIDE, MAX_PIXELS, Duration.ofMinutes(15), retention, Duration.ofSeconds(10));
    }
}
