package run.creativeai.gateway.media;

import java.util.Objects;

/**
 * What an image's header declares: its real format (from its magic bytes, whatever it was called)
 * and its pixel dimensions, read without decoding a single pixel. The reader asks its source only
 * for the bytes it needs, a window at a time, so a JPEG whose frame header sits after large
 * metadata segments costs a few ranged reads, never the whole file.
 *
 * <p>Read here rather than by an image library: the three formats' headers are a few fixed fields
 * (PNG's IHDR, JPEG's SOFn, WebP's VP8/VP8L/VP8X chunk), and the libraries that read them (e.g.
 * metadata-extractor, 0.9 MB with its XMP dependency) read a stream from its start instead of
 * jumping through a ranged source.
 */
public record ImageHeader(ImageFormat format, int width, int height) {

    public ImageHeader {
        Objects.requireNonNull(format, "format");
    }

    public long pixels() {
        return (long) width * height;
    }

    /** Bytes of an object, read by offset; fewer than asked at its end. */
    @FunctionalInterface
    public interface Source {
        byte[] read(long offset, int length);
    }

    /** How far a header read got. */
    public sealed interface Reading permits Read, NotAnImage, Unreadable {
    }

    public record Read(ImageHeader header) implements Reading {
    }

    /** The first bytes are none of PNG, JPEG or WebP. */
    public record NotAnImage() implements Reading {
    }

    /** It starts like an image but its header is broken, truncated, or further in than the reader looks. */
    public record Unreadable(String why) implements Reading {
    }

    /** Bytes fetched per read of the source. */
    static final int WINDOW = 64 * 1024;
    /** The furthest into a file a header is looked for: JPEG metadata segments before it, 64 KiB each at most. */
    static final long MAX_SCAN = 1024 * 1024;

    public static Reading read(byte[] bytes) {
        return read((offset, length) -> {
            if (offset >= bytes.length) {
                return new byte[0];
            }
            int end = (int) Math.min(bytes.length, offset + length);
            return java.util.Arrays.copyOfRange(bytes, (int) offset, end);
        });
    }

    public static Reading read(Source source) {
        Window in = new Window(source);
        try {
            if (in.matches(0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
                return png(in);
            }
            if (in.matches(0, 0xFF, 0xD8, 0xFF)) {
                return jpeg(in);
            }
            if (in.matches(0, 'R', 'I', 'F', 'F') && in.matches(8, 'W', 'E', 'B', 'P')) {
                return webp(in);
            }
            return new NotAnImage();
        } catch (Truncated e) {
            return new Unreadable(e.getMessage());
        }
    }

    private static Reading png(Window in) {
        if (in.u32be(8) != 13 || !in.matches(12, 'I', 'H', 'D', 'R')) {
            return new Unreadable("the PNG does not start with its IHDR chunk");
        }
        return dimensions(ImageFormat.PNG, in.u32be(16), in.u32be(20));
    }

    private static Reading jpeg(Window in) {
        long pos = 2;
        while (true) {
            if (in.u8(pos) != 0xFF) {
                return new Unreadable("the JPEG has a broken segment at byte " + pos);
            }
            int marker = in.u8(pos + 1);
            if (marker == 0xFF) {
                pos++; // fill byte before a marker
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // markers without a length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return new Unreadable("the JPEG has no frame header before its image data");
            }
            int length = in.u16be(pos + 2);
            if (length < 2) {
                return new Unreadable("the JPEG has a broken segment at byte " + pos);
            }
            if (isStartOfFrame(marker)) {
                return dimensions(ImageFormat.JPEG, in.u16be(pos + 7), in.u16be(pos + 5));
            }
            pos += 2 + length;
        }
    }

    /** SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static Reading webp(Window in) {
        long data = 20;
        if (in.matches(12, 'V', 'P', '8', ' ')) {
            if (!in.matches(data + 3, 0x9D, 0x01, 0x2A)) {
                return new Unreadable("the WebP's VP8 frame has no start code");
            }
            return dimensions(ImageFormat.WEBP, in.u16le(data + 6) & 0x3FFF, in.u16le(data + 8) & 0x3FFF);
        }
        if (in.matches(12, 'V', 'P', '8', 'L')) {
            if (in.u8(data) != 0x2F) {
                return new Unreadable("the WebP's VP8L stream has no signature");
            }
            long bits = in.u32le(data + 1);
            return dimensions(ImageFormat.WEBP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (in.matches(12, 'V', 'P', '8', 'X')) {
            return dimensions(ImageFormat.WEBP, in.u24le(data + 4) + 1, in.u24le(data + 7) + 1);
        }
        return new Unreadable("the WebP has no VP8, VP8L or VP8X chunk first");
    }

    private static Reading dimensions(ImageFormat format, long width, long height) {
        if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            return new Unreadable("the " + format.name() + " header declares " + width + " x " + height + " pixels");
        }
        return new Read(new ImageHeader(format, (int) width, (int) height));
    }

    /** Reads the source a window at a time, and no further than {@link #MAX_SCAN}. */
    private static final class Window {
        private final Source source;
        private long start = -1;
        private byte[] bytes = new byte[0];

        Window(Source source) {
            this.source = source;
        }

        int u8(long pos) {
            if (pos >= MAX_SCAN) {
                throw new Truncated("the image's header is not within its first " + MAX_SCAN / 1024 + " KiB");
            }
            if (start < 0 || pos < start || pos >= start + bytes.length) {
                if (start >= 0 && pos >= start && bytes.length < WINDOW) {
                    throw new Truncated("the image ends before its header does");
                }
                bytes = source.read(pos, WINDOW);
                start = pos;
                if (bytes.length == 0) {
                    throw new Truncated("the image ends before its header does");
                }
            }
            return bytes[(int) (pos - start)] & 0xFF;
        }

        boolean matches(long pos, int... expected) {
            for (int i = 0; i < expected.length; i++) {
                if (u8OrEnd(pos + i) != expected[i]) {
                    return false;
                }
            }
            return true;
        }

        private int u8OrEnd(long pos) {
            try {
                return u8(pos);
            } catch (Truncated e) {
                return -1;
            }
        }

        int u16be(long pos) {
            return (u8(pos) << 8) | u8(pos + 1);
        }

        long u32be(long pos) {
            return ((long) u16be(pos) << 16) | u16be(pos + 2);
        }

        int u16le(long pos) {
            return u8(pos) | (u8(pos + 1) << 8);
        }

        int u24le(long pos) {
            return u16le(pos) | (u8(pos + 2) << 16);
        }

        long u32le(long pos) {
            return u16le(pos) | ((long) u16le(pos + 2) << 16);
        }
    }

    private static final class Truncated extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Truncated(String message) {
            super(message, null, false, false);
        }
    }
}
