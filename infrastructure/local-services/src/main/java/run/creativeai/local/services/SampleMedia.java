package run.creativeai.local.services;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * The files the simulated providers hand out: a real PNG (drawn with java.awt, encoded by ImageIO) and
 * a real MP4 (H.264 Baseline in an ISO base media file), both small and openable by any viewer or
 * player, and either padded to a requested size with a chunk or box that readers skip, so a
 * benchmark can ask for a 200 MB video without the simulator holding 200 MB: the padding is written
 * as it is sent.
 *
 * <p>The video is written by hand, since no encoder is at hand in the JVM: every macroblock is
 * I_PCM (the H.264 form that carries raw samples), which needs no transform or entropy coding, every
 * frame an IDR picture, and the samples are a moving colour pattern.
 */
public final class SampleMedia {
    static final int VIDEO_WIDTH = 160;
    static final int VIDEO_HEIGHT = 96;
    static final int VIDEO_FPS = 12;
    static final int VIDEO_FRAMES = 24;
    static final int IMAGE_SIZE = 1024;

    private static final byte[] PNG = png(IMAGE_SIZE, IMAGE_SIZE);
    private static final byte[] MP4 = mp4(VIDEO_WIDTH, VIDEO_HEIGHT, VIDEO_FRAMES, VIDEO_FPS);

    private SampleMedia() {
    }

    /** A file to send: {@code head}, then {@code zeros} zero bytes, then {@code tail}. */
    public record File(String contentType, byte[] head, long zeros, byte[] tail) {
        public long length() {
            return head.length + zeros + tail.length;
        }

        public void writeTo(OutputStream out) throws IOException {
            out.write(head);
            byte[] block = new byte[64 * 1024];
            long left = zeros;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
            out.write(tail);
        }

        /** The whole file in memory: for tests and small files only. */
        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) length());
            try {
                writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    /**
     * A trained LoRA's weights in the safetensors layout (an 8-byte little-endian header length, then a
     * JSON header): no tensors, but a header that says which provider's training made it, so whoever
     * is handed the file later can tell which training it came from ({@link #trainingOf}).
     */
    public static File weights(String provider, String training, String contentType) {
        byte[] header = ("{\"__metadata__\":{\"format\":\"pt\",\"provider\":\"" + provider + "\",\"training\":\""
                + training + "\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] file = java.nio.ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array();
        return new File(contentType, file, 0, new byte[0]);
    }

    /** The training a weights file of {@link #weights} names, or empty for any other bytes. */
    public static java.util.Optional<String> trainingOf(byte[] file) {
        if (file.length < 8) {
            return java.util.Optional.empty();
        }
        long length = java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        if (length < 2 || length > file.length - 8) {
            return java.util.Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode header = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(new String(file, 8, (int) length, java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Optional.ofNullable(header.path("__metadata__").path("training").textValue());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The sample image, padded to {@code size} bytes when that is larger than the image itself. */
    public static File image(long size) {
        long padding = size - PNG.length - 12;
        if (padding <= 0) {
            return new File("image/png", PNG, 0, new byte[0]);
        }
        if (padding > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a PNG chunk holds at most 2 GiB");
        }
        // A private, ancillary, safe-to-copy chunk ("paDd") of zeros before IEND: PNG readers skip it.
        int iend = PNG.length - 12;
        byte[] head = new byte[iend + 8];
        System.arraycopy(PNG, 0, head, 0, iend);
        writeInt(head, iend, (int) padding);
        byte[] type = "paDd".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(type, 0, head, iend + 4, 4);
        CRC32 crc = new CRC32();
        crc.update(type);
        byte[] block = new byte[64 * 1024];
        for (long left = padding; left > 0; left -= block.length) {
            crc.update(block, 0, (int) Math.min(block.length, left));
        }
        byte[] tail = new byte[4 + 12];
        writeInt(tail, 0, (int) crc.getValue());
        System.arraycopy(PNG, iend, tail, 4, 12);
        return new File("image/png", head, padding, tail);
    }

    /** The sample video, padded to {@code size} bytes when that is larger than the video itself. */
    public static File video(long size) {
        long padding = size - MP4.length - 8;
        if (padding <= 0) {
            return new File("video/mp4", MP4, 0, new byte[0]);
        }
        if (padding + 8 > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("the padding box holds less than 4 GiB");
        }
        // A top-level "free" box after the media: players skip it.
        byte[] head = new byte[MP4.length + 8];
        System.arraycopy(MP4, 0, head, 0, MP4.length);
        writeInt(head, MP4.length, (int) (padding + 8));
        System.arraycopy("free".getBytes(StandardCharsets.US_ASCII), 0, head, MP4.length + 4, 4);
        return new File("video/mp4", head, padding, new byte[0]);
    }

    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x1d3557), width, height, new Color(0xe76f51)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(0xf1faee));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return pngBytes(image);
    }

    /** A drawn picture as the bytes of a PNG file, with the JDK's own encoder. */
    public static byte[] pngBytes(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- H.264, I_PCM

    static byte[] mp4(int width, int height, int frames, int fps) {
        if (width % 16 != 0 || height % 16 != 0) {
            throw new IllegalArgumentException("whole macroblocks only");
        }
        byte[] sps = nal(0x67, sps(width, height));
        byte[] pps = nal(0x68, pps());
        byte[][] samples = new byte[frames][];
        for (int i = 0; i < frames; i++) {
            byte[] slice = nal(0x65, idrSlice(width, height, i));
            samples[i] = new byte[4 + slice.length];
            writeInt(samples[i], 0, slice.length);
            System.arraycopy(slice, 0, samples[i], 4, slice.length);
        }
        return Mp4.write(width, height, fps, sps, pps, samples);
    }

    private static byte[] sps(int width, int height) {
        Bits b = new Bits();
        b.u(8, 66); // profile_idc: Baseline
        b.u(8, 0xC0); // constraint_set0 and 1: decodable by Baseline and Main decoders
        b.u(8, 30); // level 3.0
        b.ue(0); // seq_parameter_set_id
        b.ue(0); // log2_max_frame_num_minus4
        b.ue(2); // pic_order_cnt_type: order follows decoding
        b.ue(1); // max_num_ref_frames
        b.u(1, 0); // gaps_in_frame_num_value_allowed_flag
        b.ue(width / 16 - 1);
        b.ue(height / 16 - 1);
        b.u(1, 1); // frame_mbs_only_flag
        b.u(1, 1); // direct_8x8_inference_flag
        b.u(1, 0); // frame_cropping_flag
        b.u(1, 0); // vui_parameters_present_flag
        b.trailing();
        return b.bytes();
    }

    private static byte[] pps() {
        Bits b = new Bits();
        b.ue(0); // pic_parameter_set_id
        b.ue(0); // seq_parameter_set_id
        b.u(1, 0); // entropy_coding_mode_flag: CAVLC
        b.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
        b.ue(0); // num_slice_groups_minus1
        b.ue(0); // num_ref_idx_l0_default_active_minus1
        b.ue(0); // num_ref_idx_l1_default_active_minus1
        b.u(1, 0); // weighted_pred_flag
        b.u(2, 0); // weighted_bipred_idc
        b.se(0); // pic_init_qp_minus26
        b.se(0); // pic_init_qs_minus26
        b.se(0); // chroma_qp_index_offset
        b.u(1, 0); // deblocking_filter_control_present_flag
        b.u(1, 0); // constrained_intra_pred_flag
        b.u(1, 0); // redundant_pic_cnt_present_flag
        b.trailing();
        return b.bytes();
    }

    private static byte[] idrSlice(int width, int height, int frame) {
        Bits b = new Bits();
        b.ue(0); // first_mb_in_slice
        b.ue(7); // slice_type: I, as every slice of the picture
        b.ue(0); // pic_parameter_set_id
        b.u(4, 0); // frame_num
        b.ue(frame % 2); // idr_pic_id: consecutive IDR pictures differ
        b.u(1, 0); // no_output_of_prior_pics_flag
        b.u(1, 0); // long_term_reference_flag
        b.se(0); // slice_qp_delta
        int mbWidth = width / 16;
        int mbHeight = height / 16;
        for (int my = 0; my < mbHeight; my++) {
            for (int mx = 0; mx < mbWidth; mx++) {
                b.ue(25); // mb_type: I_PCM
                b.align();
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        b.u(8, luma(mx * 16 + x, my * 16 + y, frame, width, height));
                    }
                }
                for (int plane = 0; plane < 2; plane++) {
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            b.u(8, chroma(plane, mx * 8 + x, my * 8 + y, frame, width / 2));
                        }
                    }
                }
            }
        }
        b.trailing();
        return b.bytes();
    }

    /** A diagonal gradient with a bright square crossing it; samples stay in video range (16 to 235). */
    private static int luma(int x, int y, int frame, int width, int height) {
        int square = height / 3;
        int left = (frame * (width - square)) / Math.max(1, VIDEO_FRAMES - 1);
        if (x >= left && x < left + square && y >= square && y < 2 * square) {
            return 225;
        }
        return 40 + ((x + y) * 120) / (width + height);
    }

    private static int chroma(int plane, int x, int y, int frame, int width) {
        int hue = (x * 96) / width + frame * 4;
        return plane == 0 ? 80 + hue % 96 : 176 - hue % 96;
    }

    /** A NAL unit's bytes (header, then the payload with emulation prevention), without a start code. */
    private static byte[] nal(int header, byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + rbsp.length / 64 + 1);
        out.write(header);
        int zeros = 0;
        for (byte value : rbsp) {
            int v = value & 0xFF;
            if (zeros >= 2 && v <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(v);
            zeros = v == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    static void writeInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    /** An H.264 bit writer: fixed-width fields and Exp-Golomb codes, most significant bit first. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int used;

        void u(int bits, int value) {
            for (int i = bits - 1; i >= 0; i--) {
                bit((value >>> i) & 1);
            }
        }

        void ue(int value) {
            int coded = value + 1;
            int length = 32 - Integer.numberOfLeadingZeros(coded);
            u(length - 1, 0);
            u(length, coded);
        }

        void se(int value) {
            ue(value <= 0 ? -2 * value : 2 * value - 1);
        }

        void align() {
            while (used != 0) {
                bit(0);
            }
        }

        /** rbsp_trailing_bits: a one, then zeros to the byte boundary. */
        void trailing() {
            bit(1);
            align();
        }

        private void bit(int b) {
            current = (current << 1) | b;
            if (++used == 8) {
                out.write(current);
                current = 0;
                used = 0;
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ---------------------------------------------------------------- ISO base media file

    /** The boxes of a one-track MP4 whose samples are in one chunk right after the header. */
    private static final class Mp4 {
        static byte[] write(int width, int height, int fps, byte[] sps, byte[] pps, byte[][] samples) {
            byte[] ftyp = box("ftyp", concat(ascii("isom"), int32(512), ascii("isom"), ascii("iso2"), ascii("avc1"),
                    ascii("mp41")));
            long mediaBytes = 0;
            for (byte[] s : samples) {
                mediaBytes += s.length;
            }
            // moov's size does not depend on the chunk offset it holds, so build it twice.
            byte[] moov = moov(width, height, fps, sps, pps, samples, 0);
            int offset = ftyp.length + moov.length + 8;
            moov = moov(width, height, fps, sps, pps, samples, offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ftyp);
            out.writeBytes(moov);
            out.writeBytes(int32((int) (mediaBytes + 8)));
            out.writeBytes(ascii("mdat"));
            for (byte[] s : samples) {
                out.writeBytes(s);
            }
            return out.toByteArray();
        }

        private static byte[] moov(int width, int height, int fps, byte[] sps, byte[] pps, byte[][] samples,
                int chunkOffset) {
            int frames = samples.length;
            int durationMs = frames * 1000 / fps;
            byte[] matrix = concat(int32(0x00010000), int32(0), int32(0), int32(0), int32(0x00010000), int32(0),
                    int32(0), int32(0), int32(0x40000000));
            byte[] mvhd = fullBox("mvhd", 0, 0, concat(int32(0), int32(0), int32(1000), int32(durationMs),
                    int32(0x00010000), int16(0x0100), new byte[10], matrix, new byte[24], int32(2)));
            byte[] tkhd = fullBox("tkhd", 0, 3, concat(int32(0), int32(0), int32(1), int32(0), int32(durationMs),
                    new byte[8], int16(0), int16(0), int16(0), int16(0), matrix, int32(width << 16),
                    int32(height << 16)));
            byte[] mdhd = fullBox("mdhd", 0, 0, concat(int32(0), int32(0), int32(fps), int32(frames),
                    int16(0x55C4), int16(0)));
            byte[] hdlr = fullBox("hdlr", 0, 0, concat(int32(0), ascii("vide"), new byte[12], ascii("VideoHandler"),
                    new byte[1]));
            byte[] vmhd = fullBox("vmhd", 0, 1, new byte[8]);
            byte[] dinf = box("dinf", fullBox("dref", 0, 0, concat(int32(1), fullBox("url ", 0, 1, new byte[0]))));
            byte[] avcC = box("avcC", concat(new byte[] {1, sps[1], sps[2], sps[3], (byte) 0xFF, (byte) 0xE1},
                    int16(sps.length), sps, new byte[] {1}, int16(pps.length), pps));
            byte[] name = new byte[32];
            byte[] label = ascii("I_PCM");
            name[0] = (byte) label.length;
            System.arraycopy(label, 0, name, 1, label.length);
            byte[] avc1 = box("avc1", concat(new byte[6], int16(1), new byte[16], int16(width), int16(height),
                    int32(0x00480000), int32(0x00480000), int32(0), int16(1), name, int16(0x0018), int16(0xFFFF), avcC));
            byte[] stsd = fullBox("stsd", 0, 0, concat(int32(1), avc1));
            byte[] stts = fullBox("stts", 0, 0, concat(int32(1), int32(frames), int32(1)));
            byte[] stsc = fullBox("stsc", 0, 0, concat(int32(1), int32(1), int32(frames), int32(1)));
            ByteArrayOutputStream sizes = new ByteArrayOutputStream();
            for (byte[] s : samples) {
                sizes.writeBytes(int32(s.length));
            }
            byte[] stsz = fullBox("stsz", 0, 0, concat(int32(0), int32(frames), sizes.toByteArray()));
            byte[] stco = fullBox("stco", 0, 0, concat(int32(1), int32(chunkOffset)));
            byte[] stbl = box("stbl", concat(stsd, stts, stsc, stsz, stco));
            byte[] minf = box("minf", concat(vmhd, dinf, stbl));
            byte[] mdia = box("mdia", concat(mdhd, hdlr, minf));
            byte[] trak = box("trak", concat(tkhd, mdia));
            return box("moov", concat(mvhd, trak));
        }

        private static byte[] box(String type, byte[] payload) {
            return concat(int32(payload.length + 8), ascii(type), payload);
        }

        private static byte[] fullBox(String type, int version, int flags, byte[] payload) {
            return box(type, concat(int32((version << 24) | flags), payload));
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }

        private static byte[] int32(int value) {
            byte[] b = new byte[4];
            writeInt(b, 0, value);
            return b;
        }

        private static byte[] int16(int value) {
            return new byte[] {(byte) (value >>> 8), (byte) value};
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }
    }
}
