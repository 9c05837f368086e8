package run.creativeai.gateway.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobCost;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;

class PriceListTest {
    private static final ModelCatalog MODELS = ModelCatalog.defaults();
    private static final PriceList PRICES = PriceList.defaults(MODELS);

    private static GenerationRequest image(String model, int n, String size) {
        return new GenerationRequest(JobKind.IMAGE, model, "p", n, Optional.of(size), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static GenerationRequest video(String model, int seconds, Optional<String> resolution) {
        return new GenerationRequest(JobKind.VIDEO, model, "p", 1, Optional.empty(), Optional.of(seconds),
                Operation.TEXT_TO_VIDEO, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), resolution);
    }

    /** A request of {@code operation} on its input image (and mask), at {@code size} or the input's size. */
    private static GenerationRequest withInput(String model, Operation operation, Optional<String> size) {
        MediaSource upload = new MediaSource.Upload(new UploadId("upl_01jabcdefghjkmnpqrstvwxyz0"));
        boolean video = operation.kind() == JobKind.VIDEO;
        return new GenerationRequest(operation.kind(), model, "p", 1, size, video ? Optional.of(5) : Optional.empty(),
                operation, Optional.of(upload), operation.needsMask() ? Optional.of(upload) : Optional.empty(),
                Optional.empty(), Optional.empty(), video ? Optional.of("720p") : Optional.empty());
    }

    private static JobCost quote(GenerationRequest request) {
        return PRICES.quote(request, MODELS.chainFor(MODELS.find(request.model()).orElseThrow()));
    }

    @Test
    void anImageRequestIsPricedPerImageOnEveryLinkAndReservesTheDearest() {
        JobCost cost = quote(image("seedream", 2, "1024x1024"));
        assertThat(cost.prices()).containsOnly(java.util.Map.entry("seedream", 60L), java.util.Map.entry("flux", 8L),
                java.util.Map.entry("sdxl", 8L));
        assertThat(cost.reserved()).isEqualTo(60);
    }

    @Test
    void aVideoIsPricedPerSecondAtItsResolutionAndAtTheDefaultWhenItNamesNone() {
        assertThat(quote(video("kling", 10, Optional.of("1080p"))).prices())
                .containsEntry("kling", 800L).containsEntry("seedance", 700L).containsEntry("vidu", 500L);
        assertThat(quote(video("kling", 5, Optional.empty())).reserved()).as("720p by default").isEqualTo(250);
    }

    @Test
    void aChainWhoseLaterLinkIsDearerReservesTheLaterLinksPrice() {
        PriceList prices = PriceList.parse(bundled().replace(
                "\"text-to-image\":      { \"512x512\": 2,  \"768x768\": 3,  \"1024x1024\": 4,  \"1024x1792\": 6,  "
                        + "\"1792x1024\": 6,  \"2048x2048\": 12 },\n      \"image-to-image\":     { \"512x512\": 3,",
                "\"text-to-image\":      { \"512x512\": 99, \"768x768\": 3,  \"1024x1024\": 4,  \"1024x1792\": 6,  "
                        + "\"1792x1024\": 6,  \"2048x2048\": 12 },\n      \"image-to-image\":     { \"512x512\": 3,"), MODELS);
        assertThat(prices.quote(image("seedream", 1, "512x512"), MODELS.chainFor(MODELS.find("seedream").orElseThrow()))
                .reserved()).as("flux's 512x512 at 99").isEqualTo(99);
    }

    @Test
    void anOperationIsPricedOnlyOnTheLinksThatCanDoIt() {
        assertThat(quote(withInput("kling", Operation.IMAGE_TO_VIDEO, Optional.empty())).prices())
                .as("vidu cannot make video from an image, so it is never asked and never priced")
                .containsOnlyKeys("kling", "seedance").containsEntry("kling", 250L).containsEntry("seedance", 200L);
        assertThat(quote(withInput("flux", Operation.UPSCALE, Optional.empty())).prices())
                .containsOnly(java.util.Map.entry("flux", 3L), java.util.Map.entry("sdxl", 2L));
    }

    @Test
    void anImageMadeAtTheSizeOfItsInputIsPricedAtTheInputSizePriceAndANamedSizeAtThatSize() {
        assertThat(quote(withInput("seedream", Operation.IMAGE_TO_IMAGE, Optional.empty())).prices())
                .containsOnly(java.util.Map.entry("seedream", 30L), java.util.Map.entry("flux", 6L),
                        java.util.Map.entry("sdxl", 4L));
        assertThat(quote(withInput("flux", Operation.INPAINTING, Optional.of("2048x2048"))).reserved()).isEqualTo(30);
    }

    @Test
    void everyOperationOfEveryModelInTheCatalogueHasAPriceAtEverySizeOrResolutionARequestCanHave() {
        for (Model model : MODELS.all()) {
            for (Operation operation : model.supportedOperations()) {
                for (String variant : PriceList.variants(operation)) {
                    GenerationRequest request = operation.kind() == JobKind.TRAINING ? training(model.id(), 1000)
                            : operation.kind() == JobKind.VIDEO
                            ? (operation.needsImage() ? withInput(model.id(), operation, Optional.empty())
                                    : video(model.id(), 5, Optional.of(variant)))
                            : operation.needsImage()
                                    ? withInput(model.id(), operation,
                                            variant.equals(PriceList.INPUT_SIZE) ? Optional.empty() : Optional.of(variant))
                                    : image(model.id(), 1, variant);
                    assertThat(PRICES.price(model, request)).as(model.id() + " " + operation.wireName() + " " + variant)
                            .isPositive();
                }
            }
        }
    }

    private static GenerationRequest training(String trainer, int steps) {
        java.util.List<run.creativeai.gateway.media.UploadId> images = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> new run.creativeai.gateway.media.UploadId("upl_0000000000000000000000000" + i)).toList();
        return GenerationRequest.training(trainer, new run.creativeai.gateway.job.TrainingInput("flux", images, "tok",
                steps, Optional.empty()), Optional.empty(), Optional.empty(), run.creativeai.gateway.job.WebhookEventKind.DEFAULT);
    }

    @Test
    void aTrainingIsPricedPerStartedHundredStepsOnEachTrainerOfItsChainAndReservesTheDearest() {
        assertThat(PRICES.price(MODELS.find("flux-lora-fal").orElseThrow(), training("flux-lora-fal", 1000)))
                .isEqualTo(200);
        assertThat(PRICES.price(MODELS.find("flux-lora-fal").orElseThrow(), training("flux-lora-fal", 1001)))
                .as("a started hundred costs a whole one").isEqualTo(220);
        assertThat(quote(training("flux-lora-fal", 1000)).reserved()).as("the Replicate trainer of the chain costs 25")
                .isEqualTo(250);
    }

    @Test
    void aMissingSizeStopsStartUpNamingTheEntry() {
        assertRefused(bundled().replace("\"1792x1024\": 6,  \"2048x2048\": 12 },\n      \"image-to-image\":     { \"512x512\": 3,",
                "\"1792x1024\": 6 },\n      \"image-to-image\":     { \"512x512\": 3,"),
                "images.flux.text-to-image.2048x2048 is missing");
        assertRefused(bundled().replace("\"2048x2048\": 12, \"input_size\": 4 },\n      \"inpainting\"",
                "\"2048x2048\": 12 },\n      \"inpainting\""),
                "images.sdxl.image-to-image.input_size is missing");
    }

    @Test
    void anOperationTheCatalogueGivesAModelNeedsItsPriceAndOneItDoesNotGiveMayNotBePriced() {
        assertRefused(bundled().replace("      \"upscale\":            { \"input_size\": 3 },\n", ""),
                "images.flux.upscale is missing: every model needs a price for every operation it does");
        assertRefused(bundled().replace("\"vidu\":     { \"text-to-video\": { \"720p\": 30, \"1080p\": 50 } }",
                "\"vidu\":     { \"text-to-video\": { \"720p\": 30, \"1080p\": 50 }, "
                        + "\"image-to-video\": { \"720p\": 30, \"1080p\": 50 } }"),
                "video_seconds.vidu.image-to-video: vidu does not do image-to-video in the model catalogue");
        assertRefused(bundled().replace("\"upscale\":            { \"input_size\": 3 }",
                "\"upscale\":            { \"input_size\": 3, \"1024x1024\": 3 }"),
                "images.flux.upscale.1024x1024: 1024x1024 is not a size of upscale; they are [input_size]");
    }

    @Test
    void aModelWithoutPricesStopsStartUpNamingIt() {
        assertRefused(bundled().replaceAll("(?m)^    \"vidu\".*$", "").replace("\"1080p\": 70 } },\n", "\"1080p\": 70 } }\n"),
                "video_seconds.vidu.text-to-video is missing");
    }

    @Test
    void badEntriesStopStartUpNamingTheEntry() {
        assertRefused(bundled().replace("\"768x768\": 20, \"1024x1024\": 30, \"1024x1792\": 45, \"1792x1024\": 45, \"2048x2048\": 90 },",
                "\"768x768\": -1, \"1024x1024\": 30, \"1024x1792\": 45, \"1792x1024\": 45, \"2048x2048\": 90 },"),
                "images.seedream.text-to-image.768x768 must be a whole number of credits");
        assertRefused(bundled().replaceFirst("\"768x768\": 20", "\"768x768\": 2.5"),
                "images.seedream.text-to-image.768x768 must be a whole number of credits");
        assertRefused(bundled().replaceFirst("\"768x768\": 20", "\"768x768\": 2000000"),
                "images.seedream.text-to-image.768x768 must be a whole number of credits from 0 to 1000000");
        assertRefused(bundled().replaceFirst("\"768x768\": 20", "\"768x769\": 20"),
                "images.seedream.text-to-image.768x769: 768x769 is not a size of text-to-image");
        assertRefused(bundled().replace("\"kling\":    { \"text-to-video\"", "\"kling\":    { \"text-to-film\""),
                "video_seconds.kling.text-to-film: text-to-film is not a video operation");
        assertRefused(bundled().replace("\"kling\":    { \"text-to-video\"", "\"kling\":    { \"text-to-image\""),
                "video_seconds.kling.text-to-image: text-to-image is not a video operation");
        assertRefused(bundled().replace("\"sdxl\":", "\"sdxl-turbo\":"),
                "images.sdxl-turbo: sdxl-turbo is not a model id of the model catalogue");
        assertRefused(bundled().replace("\"1080p\": 50 } }", "\"1080p\": 50 } },\n    \"sdxl\": {}"),
                "video_seconds.sdxl: sdxl is a image model; price it under images");
        assertRefused(bundled().replace("\"currency\": \"credits\"", "\"currency\": \"usd\""),
                "currency must be \"credits\"");
        assertRefused(bundled().replace("\"currency\": \"credits\",", "\"currency\": \"credits\", \"discounts\": {},"),
                "unknown field discounts");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> PriceList.parse(json, MODELS)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message);
    }

    private static String bundled() {
        try (var in = PriceList.class.getResourceAsStream("/prices.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
