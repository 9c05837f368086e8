package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.MediaLimits;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.RemoteImages;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.InMemoryMedia;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.TestImages;
import run.creativeai.gateway.uploads.InputImages;
import run.creativeai.gateway.uploads.Uploads;

/** Input images as the API checks them before admission: every refusal a 4xx naming the field. */
class GenerationInputsTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId OTHER = new TenantId("other");

    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final InMemoryMedia media = new InMemoryMedia();
    private final MediaLimits limits = MediaLimits.standard(Duration.ofDays(1));
    private final run.creativeai.gateway.testing.InMemoryTrainedModels trainedModels =
            new run.creativeai.gateway.testing.InMemoryTrainedModels();
    private final List<URI> fetched = new ArrayList<>();
    private RemoteImages.Fetch remoteAnswer = new RemoteImages.Fetched(TestImages.png(64, 64));
    private final Uploads uploads = new Uploads(media, media, limits, IdSource.random(clock), clock);
    private final GenerationInputs inputs = new GenerationInputs(new InputImages(media, media,
            (url, max, timeout) -> {
                fetched.add(url);
                return remoteAnswer;
            }, limits, IdSource.random(clock), clock), trainedModels);

    private UploadId uploaded(TenantId tenant, ImageFormat declared, byte[] bytes) {
        Uploads.Created created = uploads.create(tenant, declared, bytes.length);
        media.put(created.upload().id(), bytes);
        return created.upload().id();
    }

    private static GenerationRequest request(Operation operation, MediaSource image, Optional<MediaSource> mask) {
        return new GenerationRequest(operation.kind(), operation.kind() == JobKind.IMAGE ? "sdxl" : "kling", "a fox", 1,
                Optional.empty(), operation.kind() == JobKind.VIDEO ? Optional.of(5) : Optional.empty(), operation,
                Optional.of(image), mask, Optional.empty(), Optional.empty());
    }

    private Parsed<GenerationRequest> check(TenantId tenant, UploadId image) {
        return inputs.check(tenant, request(Operation.UPSCALE, new MediaSource.Upload(image), Optional.empty()));
    }

    private static ApiError error(Parsed<GenerationRequest> parsed) {
        assertThat(parsed).as("%s", parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<GenerationRequest>) parsed).error();
    }

    @Test
    void anUploadedPngIsAcceptedHavingReadOnlyItsFirstBytes() {
        byte[] large = new byte[5 * 1024 * 1024];
        byte[] png = TestImages.png(1024, 768);
        System.arraycopy(png, 0, large, 0, png.length);
        UploadId id = uploaded(ACME, ImageFormat.PNG, large);
        Parsed<GenerationRequest> checked = check(ACME, id);
        assertThat(checked).isInstanceOf(Parsed.Valid.class);
        assertThat(media.bytesRead).containsExactly(64L * 1024);
    }

    @Test
    void anotherTenantsUploadIsNotFoundExactlyLikeOneThatNeverExisted() {
        UploadId theirs = uploaded(OTHER, ImageFormat.PNG, TestImages.png(10, 10));
        ApiError foreign = error(check(ACME, theirs));
        ApiError unknown = error(check(ACME, new UploadId("upl_0000000000000000000000zzzz")));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.param()).contains("image");
        assertThat(foreign.code()).isEqualTo(unknown.code()).isEqualTo("upload_not_found");
        assertThat(foreign.message().replace(theirs.value(), "ID"))
                .isEqualTo(unknown.message().replace("upl_0000000000000000000000zzzz", "ID"));
    }

    @Test
    void anUploadPastItsRetentionHasExpired() {
        UploadId id = uploaded(ACME, ImageFormat.PNG, TestImages.png(10, 10));
        clock.advance(Duration.ofDays(1));
        ApiError error = error(check(ACME, id));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("upload_expired");
    }

    @Test
    void anUploadWhoseBytesNeverCameIsIncompleteUntilItsUrlExpiresAndExpiredAfter() {
        UploadId id = uploads.create(ACME, ImageFormat.PNG, 100).upload().id();
        assertThat(error(check(ACME, id)).code()).isEqualTo("upload_incomplete");
        clock.advance(Duration.ofMinutes(16));
        ApiError later = error(check(ACME, id));
        assertThat(later.code()).isEqualTo("upload_expired");
        assertThat(later.message()).contains("never completed");
    }

    @Test
    void anUploadIsOpenOnlyAsLongAsItsUrlWorksWhenTheSigningCredentialsEndFirst() {
        media.signingCredentialsEnd = clock.instant().plus(Duration.ofMinutes(6));
        Uploads.Created created = uploads.create(ACME, ImageFormat.PNG, 100);
        assertThat(created.upload().uploadBy()).as("the expiry the upload's answer states")
                .isEqualTo(created.request().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(6)));
        clock.advance(Duration.ofMinutes(7));
        assertThat(error(check(ACME, created.upload().id())).code()).isEqualTo("upload_expired");
    }

    @Test
    void aTextFileUploadedAsAPngIsRefusedAsNotAnImage() {
        UploadId id = uploaded(ACME, ImageFormat.PNG, "just some text, named cat.png".getBytes(StandardCharsets.UTF_8));
        ApiError error = error(check(ACME, id));
        assertThat(error.code()).isEqualTo("unsupported_image");
        assertThat(error.param()).contains("image");
        assertThat(error.message()).contains("image/png, image/jpeg, image/webp");
    }

    @Test
    void aJpegUploadedAsAPngIsRefusedForItsDeclaredType() {
        UploadId id = uploaded(ACME, ImageFormat.PNG, TestImages.jpeg(10, 10, 0));
        ApiError error = error(check(ACME, id));
        assertThat(error.code()).isEqualTo("image_type_mismatch");
        assertThat(error.message()).contains("declared image/png but its bytes are image/jpeg");
    }

    @Test
    void aDecompressionBombIsRefusedByTheDimensionsItsHeaderDeclares() {
        UploadId id = uploaded(ACME, ImageFormat.PNG, TestImages.png(100_000, 100_000));
        ApiError error = error(check(ACME, id));
        assertThat(error.code()).isEqualTo("image_dimensions_too_large");
        assertThat(error.message()).contains("100000 x 100000").contains("8192");
        UploadId wide = uploaded(ACME, ImageFormat.PNG, TestImages.png(8193, 10));
        assertThat(error(check(ACME, wide)).code()).isEqualTo("image_dimensions_too_large");
        UploadId dense = uploaded(ACME, ImageFormat.PNG, TestImages.png(8192, 8192));
        assertThat(error(check(ACME, dense)).message()).contains("40000000 in all");
    }

    @Test
    void aUrlIsCopiedIntoANewUploadOfTheTenantAndTheJobNamesThatUpload() {
        URI url = URI.create("https://images.example.com/cat.png");
        Parsed<GenerationRequest> checked = inputs.check(ACME, request(Operation.UPSCALE, new MediaSource.Remote(url),
                Optional.empty()));
        assertThat(fetched).containsExactly(url);
        GenerationRequest request = ((Parsed.Valid<GenerationRequest>) checked).value();
        UploadId copy = ((MediaSource.Upload) request.image().orElseThrow()).id();
        assertThat(media.find(copy).orElseThrow().tenant()).isEqualTo(ACME);
        assertThat(media.object(copy)).hasValueSatisfying(b -> assertThat(b).isEqualTo(TestImages.png(64, 64)));
    }

    @Test
    void aUrlThatIsNotAnImageOrCannotBeFetchedIsRefusedAndNothingIsStored() {
        MediaSource url = new MediaSource.Remote(URI.create("https://images.example.com/x"));
        remoteAnswer = new RemoteImages.Fetched("<html>".getBytes(StandardCharsets.UTF_8));
        assertThat(error(inputs.check(ACME, request(Operation.UPSCALE, url, Optional.empty()))).code())
                .isEqualTo("unsupported_image");
        remoteAnswer = new RemoteImages.TooLarge();
        assertThat(error(inputs.check(ACME, request(Operation.UPSCALE, url, Optional.empty()))).code())
                .isEqualTo("image_too_large");
        remoteAnswer = new RemoteImages.Refused("host a.example resolves to a private, link-local or reserved address");
        ApiError refused = error(inputs.check(ACME, request(Operation.UPSCALE, url, Optional.empty())));
        assertThat(refused.code()).isEqualTo("image_url_refused");
        assertThat(refused.message()).startsWith("image host a.example resolves to a private");
        remoteAnswer = new RemoteImages.Failed("images.example.com answered HTTP 404");
        assertThat(error(inputs.check(ACME, request(Operation.UPSCALE, url, Optional.empty()))).code())
                .isEqualTo("image_url_unreachable");
        assertThat(media.bytesRead).isEmpty();
    }

    @Test
    void aMaskMustBeTheSizeOfItsImage() {
        UploadId image = uploaded(ACME, ImageFormat.PNG, TestImages.png(512, 512));
        UploadId mask = uploaded(ACME, ImageFormat.PNG, TestImages.png(256, 256));
        ApiError error = error(inputs.check(ACME, request(Operation.INPAINTING, new MediaSource.Upload(image),
                Optional.of(new MediaSource.Upload(mask)))));
        assertThat(error.param()).contains("mask");
        assertThat(error.message()).contains("256 x 256").contains("512 x 512");
        UploadId fitting = uploaded(ACME, ImageFormat.WEBP, TestImages.webpLossless(512, 512));
        assertThat(inputs.check(ACME, request(Operation.INPAINTING, new MediaSource.Upload(image),
                Optional.of(new MediaSource.Upload(fitting))))).isInstanceOf(Parsed.Valid.class);
    }

    @Test
    void aRefusedMaskIsNamedAsTheMask() {
        UploadId image = uploaded(ACME, ImageFormat.PNG, TestImages.png(512, 512));
        ApiError error = error(inputs.check(ACME, request(Operation.INPAINTING, new MediaSource.Upload(image),
                Optional.of(new MediaSource.Upload(new UploadId("upl_0000000000000000000000zzzz"))))));
        assertThat(error.param()).contains("mask");
        assertThat(error.status()).isEqualTo(404);
    }
}
