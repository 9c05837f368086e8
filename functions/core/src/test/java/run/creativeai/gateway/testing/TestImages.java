package run.creativeai.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Image headers built byte by byte, as the formats' specifications lay them out: enough of a file
 * for a header reader, including ones no encoder would write (100,000 pixels a side).
 */
public final class TestImages {
    private TestImages() {
    }

    /** A PNG signature and IHDR chunk declaring {@code width} x {@code height}, then an empty IEND. */
    public static byte[] png(long width, long height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = ByteBuffer.allocate(13).putInt((int) width).putInt((int) height)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0).array();
        chunk(out, "IHDR", ihdr);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A JPEG: SOI, {@code appSegments} APP1 segments of the largest size a segment may have
     * (65,535 bytes), then a baseline SOF0 declaring {@code width} x {@code height}, then EOI.
     */
    public static byte[] jpeg(int width, int height, int appSegments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        for (int i = 0; i < appSegments; i++) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) 0xFF, (byte) 0xFF});
            out.writeBytes(new byte[65533]);
        }
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08});
        out.writeBytes(ByteBuffer.allocate(4).putShort((short) height).putShort((short) width).array());
        out.writeBytes(new byte[] {0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    /** A lossy WebP: RIFF, a VP8 chunk whose key frame declares {@code width} x {@code height}. */
    public static byte[] webpLossy(int width, int height) {
        ByteBuffer vp8 = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8.put(new byte[] {0x10, 0x02, 0x00, (byte) 0x9D, 0x01, 0x2A}).putShort((short) width).putShort((short) height);
        return riff("VP8 ", vp8.array());
    }

    /** A lossless WebP: a VP8L chunk with its signature and 14-bit width and height minus one. */
    public static byte[] webpLossless(int width, int height) {
        long bits = (width - 1) | ((long) (height - 1) << 14);
        ByteBuffer vp8l = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);
        vp8l.put((byte) 0x2F).putInt((int) bits);
        return riff("VP8L", vp8l.array());
    }

    /** An extended WebP: a VP8X chunk with 24-bit canvas width and height minus one. */
    public static byte[] webpExtended(int width, int height) {
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.putInt(0x10);
        vp8x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        vp8x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        return riff("VP8X", vp8x.array());
    }

    private static byte[] riff(String chunk, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(20 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + data.length)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(chunk.getBytes(StandardCharsets.US_ASCII))
                .putInt(data.length).put(data);
        return out.array();
    }
}
