package run.creativeai.gateway.uploads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.tenant.TenantId;

/**
 * A training's images, checked one by one as any input image is ({@link InputImages}), then packed
 * into one zip in the uploads bucket: both trainers (fal's {@code images_data_url}, Replicate's
 * {@code input_images}) take the images as one archive at a URL. The archive is made once, at
 * admission, so every attempt of the training hands its provider the same bytes.
 */
public final class TrainingImages {
    /** The most bytes a training's images may have together: what one ingress invocation packs comfortably. */
    public static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;

    private final InputImages images;
    private final MediaStore media;
    private final IdSource ids;

    public TrainingImages(InputImages images, MediaStore media, IdSource ids) {
        this.images = images;
        this.media = media;
        this.ids = ids;
    }

    /** What packing found: the archive, or the first image that cannot be trained on. */
    public sealed interface Packed permits Archive, Refused {
    }

    public record Archive(UploadId archive) implements Packed {
    }

    public record Refused(InputRefusal refusal) implements Packed {
    }

    /** Checks every image (field {@code images[i]}) and packs them into a zip, in order. */
    public Packed pack(TenantId tenant, List<UploadId> uploads) {
        List<InputImages.Accepted> accepted = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < uploads.size(); i++) {
            String field = "images[" + i + "]";
            InputImages.Checked checked = images.check(tenant, field, new MediaSource.Upload(uploads.get(i)));
            if (checked instanceof InputImages.Refused refused) {
                return new Refused(refused.refusal());
            }
            InputImages.Accepted image = (InputImages.Accepted) checked;
            total += media.stored(image.upload()).map(MediaStore.StoredObject::bytes).orElse(0L);
            if (total > MAX_TOTAL_BYTES) {
                return new Refused(new InputRefusal(field, InputRefusal.Reason.TOO_LARGE, "images come to more than "
                        + MAX_TOTAL_BYTES + " bytes together by " + field + "; train on fewer or smaller images"));
            }
            accepted.add(image);
        }
        UploadId archive = UploadId.next(ids);
        media.storeArchive(archive, zip(accepted));
        return new Archive(archive);
    }

    private byte[] zip(List<InputImages.Accepted> accepted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < accepted.size(); i++) {
                InputImages.Accepted image = accepted.get(i);
                long size = media.stored(image.upload()).orElseThrow().bytes();
                zip.putNextEntry(new ZipEntry(String.format("%02d", i) + extension(image)));
                zip.write(media.read(image.upload(), 0, Math.toIntExact(size)));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a training archive could not be written in memory", e);
        }
        return bytes.toByteArray();
    }

    private static String extension(InputImages.Accepted image) {
        return switch (image.header().format()) {
            case PNG -> ".png";
            case JPEG -> ".jpg";
            case WEBP -> ".webp";
        };
    }
}
