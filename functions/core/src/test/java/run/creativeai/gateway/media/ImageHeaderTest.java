package run.creativeai.gateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.testing.TestImages;

class ImageHeaderTest {

    private static ImageHeader header(ImageHeader.Reading reading) {
        assertThat(reading).as("%s", reading).isInstanceOf(ImageHeader.Read.class);
        return ((ImageHeader.Read) reading).header();
    }

    @Test
    void aPngsDimensionsComeFromItsIhdrChunk() {
        assertThat(header(ImageHeader.read(TestImages.png(640, 480)))).isEqualTo(new ImageHeader(ImageFormat.PNG, 640, 480));
    }

    @Test
    void aHundredThousandPixelSquarePngIsReadFromItsHeaderAloneWithoutDecodingAnything() {
        ImageHeader bomb = header(ImageHeader.read(TestImages.png(100_000, 100_000)));
        assertThat(bomb.pixels()).isEqualTo(10_000_000_000L);
    }

    @Test
    void realEncodersOutputIsReadTheSameAsTheHandBuiltHeaders() throws Exception {
        BufferedImage picture = new BufferedImage(37, 21, BufferedImage.TYPE_INT_RGB);
        for (String format : List.of("png", "jpeg")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(picture, format, out)).isTrue();
            ImageHeader read = header(ImageHeader.read(out.toByteArray()));
            assertThat(read.width()).as(format).isEqualTo(37);
            assertThat(read.height()).as(format).isEqualTo(21);
            assertThat(read.format().contentType()).isEqualTo("image/" + format);
        }
    }

    @Test
    void aJpegFrameHeaderAfterLargeMetadataSegmentsIsFoundWithAFewRangedReadsNotTheWholeFile() {
        byte[] jpeg = TestImages.jpeg(4000, 3000, 6);
        List<Long> offsets = new ArrayList<>();
        ImageHeader.Reading reading = ImageHeader.read((offset, length) -> {
            offsets.add(offset);
            int end = (int) Math.min(jpeg.length, offset + length);
            return Arrays.copyOfRange(jpeg, (int) offset, end);
        });
        assertThat(header(reading)).isEqualTo(new ImageHeader(ImageFormat.JPEG, 4000, 3000));
        assertThat(offsets).as("one read per 64 KiB segment, each starting at the next marker").hasSize(7);
    }

    @Test
    void aJpegWhoseFrameHeaderIsPastTheFirstMebibyteIsRefusedUnread() {
        ImageHeader.Reading reading = ImageHeader.read(TestImages.jpeg(10, 10, 17));
        assertThat(reading).isInstanceOf(ImageHeader.Unreadable.class);
        assertThat(((ImageHeader.Unreadable) reading).why()).contains("first 1024 KiB");
    }

    @Test
    void theThreeKindsOfWebpDeclareTheirSizesInTheirOwnWays() {
        assertThat(header(ImageHeader.read(TestImages.webpLossy(320, 200)))).isEqualTo(new ImageHeader(ImageFormat.WEBP, 320, 200));
        assertThat(header(ImageHeader.read(TestImages.webpLossless(16383, 1)))).isEqualTo(new ImageHeader(ImageFormat.WEBP, 16383, 1));
        assertThat(header(ImageHeader.read(TestImages.webpExtended(16_777_216, 2)))).isEqualTo(
                new ImageHeader(ImageFormat.WEBP, 16_777_216, 2));
    }

    @Test
    void aTextFileCalledPngIsNotAnImage() {
        assertThat(ImageHeader.read("hello, I am a text file named photo.png\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ImageHeader.NotAnImage.class);
        assertThat(ImageHeader.read(new byte[0])).isInstanceOf(ImageHeader.NotAnImage.class);
    }

    @Test
    void aHeaderCutShortOrBrokenIsUnreadableNotAnException() {
        byte[] png = TestImages.png(10, 10);
        assertThat(ImageHeader.read(Arrays.copyOf(png, 20))).isInstanceOf(ImageHeader.Unreadable.class);
        assertThat(ImageHeader.read(TestImages.png(0, 10))).isInstanceOf(ImageHeader.Unreadable.class);
        byte[] jpeg = TestImages.jpeg(10, 10, 0);
        assertThat(ImageHeader.read(Arrays.copyOf(jpeg, 8))).isInstanceOf(ImageHeader.Unreadable.class);
        byte[] brokenJpeg = TestImages.jpeg(10, 10, 1);
        brokenJpeg[65539] = 0x00;
        assertThat(ImageHeader.read(brokenJpeg)).isInstanceOf(ImageHeader.Unreadable.class);
        byte[] webp = TestImages.webpLossy(10, 10);
        webp[23] = 0;
        assertThat(ImageHeader.read(webp)).isInstanceOf(ImageHeader.Unreadable.class);
    }

    @Test
    void aJpegWithoutAFrameHeaderBeforeItsScanIsUnreadable() {
        byte[] scanFirst = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0x00, 0x02, (byte) 0xFF, (byte) 0xD9};
        assertThat(ImageHeader.read(scanFirst)).isInstanceOf(ImageHeader.Unreadable.class);
    }
}
