package run.creativeai.gateway.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobCost;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;

class PriceListTest {
    private static final ModelCatalog MODELS = ModelCatalog.defaults();
    private static final PriceList PRICES = PriceList.defaults(MODELS);

    private static GenerationRequest image(String model, int n, String size) {
        return new GenerationRequest(JobKind.IMAGE, model, "p", n, Optional.of(size), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static GenerationRequest video(String model, int seconds, Optional<String> resolution) {
        return new GenerationRequest(JobKind.VIDEO, model, "p", 1, Optional.empty(), Optional.of(seconds), Optional.empty(),
                Optional.empty(), Optional.empty(), resolution);
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
        PriceList prices = PriceList.parse(bundled().replace("\"flux\":     { \"text-to-image\": { \"512x512\": 2,",
                "\"flux\":     { \"text-to-image\": { \"512x512\": 99,"), MODELS);
        assertThat(prices.quote(image("seedream", 1, "512x512"), MODELS.chainFor(MODELS.find("seedream").orElseThrow()))
                .reserved()).isEqualTo(99);
    }

    @Test
    void operationsRequestsCannotAskForYetMayAlreadyBePriced() {
        PriceList prices = PriceList.parse(bundled().replace("\"sdxl\":     { \"text-to-image\"",
                "\"sdxl\":     { \"upscale\": { \"512x512\": 1, \"768x768\": 1, \"1024x1024\": 1, \"1024x1792\": 1, "
                        + "\"1792x1024\": 1, \"2048x2048\": 1 }, \"text-to-image\""), MODELS);
        assertThat(prices.quote(image("sdxl", 1, "1024x1024"), MODELS.chainFor(MODELS.find("sdxl").orElseThrow()))
                .reserved()).isEqualTo(4);
    }

    @Test
    void aMissingSizeStopsStartUpNamingTheEntry() {
        assertRefused(bundled().replace("\"1792x1024\": 6,  \"2048x2048\": 12 } },\n    \"sdxl\"",
                "\"1792x1024\": 6 } },\n    \"sdxl\""),
                "images.flux.text-to-image.2048x2048 is missing");
    }

    @Test
    void aModelWithoutPricesStopsStartUpNamingIt() {
        assertRefused(bundled().replaceAll("(?m)^    \"vidu\".*$", "").replace("\"seedance\": { \"text-to-video\": { \"720p\": 40, \"1080p\": 70 } },",
                "\"seedance\": { \"text-to-video\": { \"720p\": 40, \"1080p\": 70 } }"),
                "video_seconds.vidu.text-to-video is missing");
    }

    @Test
    void badEntriesStopStartUpNamingTheEntry() {
        assertRefused(bundled().replace("\"768x768\": 20", "\"768x768\": -1"),
                "images.seedream.text-to-image.768x768 must be a whole number of credits");
        assertRefused(bundled().replace("\"768x768\": 20", "\"768x768\": 2.5"),
                "images.seedream.text-to-image.768x768 must be a whole number of credits");
        assertRefused(bundled().replace("\"768x768\": 20", "\"768x768\": 2000000"),
                "images.seedream.text-to-image.768x768 must be a whole number of credits from 0 to 1000000");
        assertRefused(bundled().replace("\"768x768\": 20", "\"768x769\": 20"),
                "images.seedream.text-to-image.768x769: 768x769 is not a size");
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
