package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

class GenerationRequestParserTest {
    private final GenerationRequestParser parser =
            new GenerationRequestParser(ModelCatalog.defaults(), WebhookUrlPolicy.publicInternet(new run.creativeai.gateway.testing.FixedResolver()
                    .answer("hooks.example.com", "93.184.215.14")
                    .answer("images.example.com", "93.184.215.15")
                    .answer("inside.example.com", "10.0.0.5")));

    private Parsed<GenerationRequest> image(String json) {
        return parser.parse(JobKind.IMAGE, json.getBytes(StandardCharsets.UTF_8));
    }

    private Parsed<GenerationRequest> video(String json) {
        return parser.parse(JobKind.VIDEO, json.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiError error(Parsed<GenerationRequest> parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<GenerationRequest>) parsed).error();
    }

    private static GenerationRequest value(Parsed<GenerationRequest> parsed) {
        assertThat(parsed).as("%s", parsed).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid<GenerationRequest>) parsed).value();
    }

    @Test
    void aCompleteImageRequestIsReadWithItsDefaults() {
        GenerationRequest request = value(image("{\"model\":\"Seedream-V1.5\",\"prompt\":\"a fox\","
                + "\"webhook_url\":\"https://hooks.example.com/x\",\"metadata\":{\"order\":\"A-1\"}}"));
        assertThat(request.model()).isEqualTo("seedream-v1.5");
        assertThat(request.n()).isEqualTo(1);
        assertThat(request.size()).contains("1024x1024");
        assertThat(request.webhookUrl()).hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("hooks.example.com"));
        assertThat(request.metadataJson()).contains("{\"order\":\"A-1\"}");
    }

    @Test
    void aVideoRequestNeedsADurationTheModelsOffer() {
        assertThat(value(video("{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":10}")).durationSeconds()).contains(10);
        assertThat(error(video("{\"model\":\"kling\",\"prompt\":\"waves\"}")).param()).contains("duration");
        assertThat(error(video("{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":7}")).message())
                .contains("duration must be one of [5, 10]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing model        | {\"prompt\":\"x\"}                                    | model",
        "model not a string   | {\"model\":7,\"prompt\":\"x\"}                          | model",
        "video model as image | {\"model\":\"kling\",\"prompt\":\"x\"}                  | model",
        "missing prompt       | {\"model\":\"sdxl\"}                                  | prompt",
        "blank prompt         | {\"model\":\"sdxl\",\"prompt\":\"   \"}                 | prompt",
        "n too large          | {\"model\":\"sdxl\",\"prompt\":\"x\",\"n\":5}             | n",
        "n not whole          | {\"model\":\"sdxl\",\"prompt\":\"x\",\"n\":1.5}           | n",
        "size unknown         | {\"model\":\"sdxl\",\"prompt\":\"x\",\"size\":\"99x99\"}     | size",
        "plain http webhook   | {\"model\":\"sdxl\",\"prompt\":\"x\",\"webhook_url\":\"http://a.example/h\"} | webhook_url",
        "webhook port 99999   | {\"model\":\"sdxl\",\"prompt\":\"x\",\"webhook_url\":\"https://hooks.example.com:99999/x\"} | webhook_url",
        "webhook port 0       | {\"model\":\"sdxl\",\"prompt\":\"x\",\"webhook_url\":\"https://hooks.example.com:0/\"} | webhook_url",
        "metadata not object  | {\"model\":\"sdxl\",\"prompt\":\"x\",\"metadata\":[1]}     | metadata",
        "misspelt field       | {\"model\":\"sdxl\",\"prompt\":\"x\",\"webhookUrl\":\"https://a.example\"} | webhookUrl"})
    void eachInvalidFieldIsA400NamingIt(String name, String json, String field) {
        ApiError error = error(image(json));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).as(error.message()).contains(field);
        assertThat(error.message()).contains(field);
    }

    @Test
    void aPromptOverTheLimitIsRefused() {
        String prompt = "x".repeat(GenerationRequestParser.MAX_PROMPT_LENGTH + 1);
        assertThat(error(image("{\"model\":\"sdxl\",\"prompt\":\"" + prompt + "\"}")).message())
                .isEqualTo("prompt must be at most 4000 characters");
    }

    @Test
    void bodiesThatAreNotAJsonObjectAreRefusedWithoutNamingAField() {
        assertThat(error(image("")).code()).isEqualTo("invalid_body");
        assertThat(error(image("[1,2]")).code()).isEqualTo("invalid_body");
        assertThat(error(image("{\"model\":")).code()).isEqualTo("invalid_json");
    }

    @Test
    void duplicateKeysAreAmbiguousAndRefusedNamingTheField() {
        ApiError error = error(image("{\"model\":\"sdxl\",\"model\":\"flux\",\"prompt\":\"x\"}"));
        assertThat(error.code()).isEqualTo("invalid_json");
        assertThat(error.param()).contains("model");
    }

    @Test
    void malformedJsonIsExplainedInTheApisWordsNeverTheParsers() {
        assertThat(error(image("{\"model\":\"sdxl\",\"prompt\":\"x\",\"n\":NaN}")).message())
                .isEqualTo("request body is not valid JSON at line 1, column 37: a number must be finite; 'NaN' is not"
                        + " a JSON number");
        assertThat(error(image("{\"model\":\"sdxl\",\"metadata\":" + "[".repeat(70))).message())
                .endsWith(": objects and arrays are nested deeper than 64 levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"model\":\"sdxl\",\"prompt\":\"x\"} xyz",
        "{\"model\":\"sdxl\",\"prompt\":\"x\"}{\"a\":1}"})
    void aBodyWithAnythingAfterItsJsonObjectIsRefused(String body) {
        ApiError error = error(image(body));
        assertThat(error.code()).isEqualTo("invalid_json");
        assertThat(error.message()).contains("more follows the end of the JSON value");
    }

    /** Each refused character, in the field that holds it: written as a JSON escape, as a client sends it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lone high surrogate in prompt  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"a \\ud800 b\"}",
        "lone low surrogate in prompt   | prompt   | {\"model\":\"sdxl\",\"prompt\":\"\\udc00\"}",
        "NUL in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"a\\u0000\"}",
        "ESC in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"\\u001b[31mred\"}",
        "DEL in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"a\\u007f\"}",
        "C1 NEL in prompt               | prompt   | {\"model\":\"sdxl\",\"prompt\":\"a\\u0085\"}",
        "RLO in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"abc\\u202edef\"}",
        "LRE in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"\\u202aabc\"}",
        "FSI in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"\\u2068abc\"}",
        "PDI in prompt                  | prompt   | {\"model\":\"sdxl\",\"prompt\":\"abc\\u2069\"}",
        "NUL in model                   | model    | {\"model\":\"sdxl\\u0000\",\"prompt\":\"x\"}",
        "bidi override in metadata      | metadata | {\"model\":\"sdxl\",\"prompt\":\"x\",\"metadata\":{\"note\":\"\\u202e\"}}",
        "control in a metadata name     | metadata | {\"model\":\"sdxl\",\"prompt\":\"x\",\"metadata\":{\"a\\u0007\":1}}",
        "surrogate deep in metadata     | metadata | {\"model\":\"sdxl\",\"prompt\":\"x\",\"metadata\":{\"a\":[{\"b\":\"\\ud83e\"}]}}",
        "infinite number in metadata    | metadata | {\"model\":\"sdxl\",\"prompt\":\"x\",\"metadata\":{\"a\":1e999999}}",
        "control in webhook_url         | webhook_url | {\"model\":\"sdxl\",\"prompt\":\"x\",\"webhook_url\":\"https://hooks.example.com/\\u0000\"}"})
    void textThatIsNotValidUnicodeOrHoldsAControlOrBidiCharacterIsRefusedNamingTheField(String name, String field,
            String json) {
        ApiError error = error(image(json));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).as(error.message()).contains(field);
        assertThat(error.message()).startsWith(field);
    }

    @Test
    void theMessageSaysWhichCharacterAndWhere() {
        assertThat(error(image("{\"model\":\"sdxl\",\"prompt\":\"abc\\u202edef\"}")).message())
                .isEqualTo("prompt holds the bidirectional control U+202E at character 4, which changes the order text"
                        + " is displayed in");
        assertThat(error(image("{\"model\":\"sdxl\",\"prompt\":\"x\",\"metadata\":{\"a\":[\"\\u001b\"]}}")).message())
                .isEqualTo("metadata.a[0] holds the control character U+001B at character 1; the only control"
                        + " characters allowed are tab, newline and carriage return");
        assertThat(error(image("{\"model\":\"sdxl\",\"prompt\":\"\\ud83e\\ud83e\"}")).message())
                .isEqualTo("prompt is not valid Unicode at character 1: an unpaired surrogate, or bytes that are not UTF-8");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheFieldTheyAreIn() {
        byte[] latin1 = "{\"model\":\"sdxl\",\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        ApiError error = error(parser.parse(JobKind.IMAGE, latin1));
        assertThat(error.param()).contains("prompt");
        assertThat(error.message()).contains("not valid Unicode at character 4");
        byte[] encodedSurrogate = {'{', '"', 'm', 'o', 'd', 'e', 'l', '"', ':', '"', 's', 'd', 'x', 'l', '"', ',', '"',
            'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        assertThat(error(parser.parse(JobKind.IMAGE, encodedSurrogate)).param()).contains("prompt");
    }

    @Test
    void tabsNewlinesCarriageReturnsRightToLeftMarksAndEmojiAreText() {
        GenerationRequest request = value(image("{\"model\":\"sdxl\",\"prompt\":\"line one\\r\\n\\tline two"
                + " \u05e9\u05dc\u05d5\u05dd\\u200f \\ud83e\\udd8a\",\"metadata\":{\"k\":\"\\n\",\"x\":1.5e300}}"));
        assertThat(request.prompt()).isEqualTo("line one\r\n\tline two \u05e9\u05dc\u05d5\u05dd\u200f \ud83e\udd8a");
    }

    @Test
    void anUnknownModelNamesTheModelsThatExist() {
        assertThat(error(image("{\"model\":\"dall-e-3\",\"prompt\":\"x\"}")).message())
                .contains("'dall-e-3'").contains("auto, ").contains("seedream").doesNotContain("kling");
    }

    @Test
    void withoutAnOperationARequestIsFromTextOrFromItsImage() {
        assertThat(value(image("{\"model\":\"sdxl\",\"prompt\":\"fox\"}")).operation()).isEqualTo(Operation.TEXT_TO_IMAGE);
        GenerationRequest fromImage = value(image("{\"model\":\"sdxl\",\"prompt\":\"fox\","
                + "\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"}"));
        assertThat(fromImage.operation()).isEqualTo(Operation.IMAGE_TO_IMAGE);
        assertThat(fromImage.image()).contains(new MediaSource.Upload(new UploadId("upl_01jabcdefghjkmnpqrstvwxyz0")));
        assertThat(fromImage.size()).as("an image's size follows its input unless asked").isEmpty();
        assertThat(value(video("{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,"
                + "\"image\":\"https://images.example.com/a.png\"}")).operation()).isEqualTo(Operation.IMAGE_TO_VIDEO);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "upscale without image             | {\"model\":\"sdxl\",\"operation\":\"upscale\"}                                          | image | image is required for upscale",
        "inpainting without mask           | {\"model\":\"sdxl\",\"operation\":\"inpainting\",\"prompt\":\"x\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | mask | mask is required for inpainting",
        "mask on image-to-image            | {\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\",\"mask\":\"upl_01jabcdefghjkmnpqrstvwxyz1\"} | mask | mask is only used by inpainting, not by image-to-image",
        "image on text-to-image            | {\"model\":\"sdxl\",\"operation\":\"text-to-image\",\"prompt\":\"x\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | image | image is not used by text-to-image",
        "replace-background without prompt | {\"model\":\"sdxl\",\"operation\":\"replace-background\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | prompt | prompt is required for replace-background",
        "prompt on remove-background       | {\"model\":\"sdxl\",\"operation\":\"remove-background\",\"prompt\":\"x\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | prompt | prompt is not used by remove-background",
        "n on upscale                      | {\"model\":\"sdxl\",\"operation\":\"upscale\",\"n\":2,\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | n | n must be 1 for upscale",
        "size on upscale                   | {\"model\":\"sdxl\",\"operation\":\"upscale\",\"size\":\"512x512\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | size | size is not used by upscale",
        "video operation on images         | {\"model\":\"sdxl\",\"operation\":\"image-to-video\",\"prompt\":\"x\"}          | operation | operation must be one of text-to-image, image-to-image, upscale",
        "model that cannot upscale         | {\"model\":\"seedream\",\"operation\":\"upscale\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"} | model | model 'seedream' cannot do upscale; use one of auto, flux, sdxl",
        "http image                        | {\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":\"http://images.example.com/a.png\"} | image | image must use https",
        "image inside the network          | {\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":\"https://inside.example.com/a.png\"} | image | image host inside.example.com resolves to a private",
        "metadata address                  | {\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":\"https://169.254.169.254/latest\"} | image | image must not point at",
        "not an upload id                  | {\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":\"upl_nope\"}                     | image | image 'upl_nope' is not an upload id",
        "image not a string                | {\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":7}                               | image | image must be a string"})
    void aMissingOrSurplusInputIsRefusedNamingTheField(String name, String body, String field, String message) {
        ApiError error = error(image(body));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).contains(field);
        assertThat(error.message()).contains(message);
    }

    @Test
    void theVideoRoutesImageUrlIsAnOlderNameForImageAndNotBoth() {
        GenerationRequest legacy = value(video("{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,"
                + "\"image_url\":\"https://images.example.com/a.png\"}"));
        assertThat(legacy.operation()).isEqualTo(Operation.IMAGE_TO_VIDEO);
        assertThat(legacy.image()).contains(new MediaSource.Remote(java.net.URI.create("https://images.example.com/a.png")));
        ApiError both = error(video("{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,"
                + "\"image_url\":\"https://images.example.com/a.png\",\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"}"));
        assertThat(both.param()).contains("image_url");
        ApiError onTextToVideo = error(video("{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,"
                + "\"operation\":\"text-to-video\",\"image_url\":\"https://images.example.com/a.png\"}"));
        assertThat(onTextToVideo.param()).contains("image_url");
        assertThat(onTextToVideo.message()).isEqualTo("image_url is not used by text-to-video");
    }

    @Test
    void autoPicksTheFirstModelOfThePreferenceOrderThatCanDoTheOperation() {
        assertThat(value(image("{\"model\":\"auto\",\"operation\":\"upscale\","
                + "\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"}")).model()).isEqualTo("auto");
        assertThat(ModelCatalog.defaults().resolve("auto", Operation.UPSCALE)).hasValueSatisfying(
                m -> assertThat(m.id()).isEqualTo("flux"));
        assertThat(ModelCatalog.defaults().resolve("auto", Operation.IMAGE_TO_IMAGE)).hasValueSatisfying(
                m -> assertThat(m.id()).isEqualTo("seedream"));
        assertThat(error(video("{\"model\":\"vidu\",\"prompt\":\"waves\",\"duration\":5,"
                + "\"image\":\"upl_01jabcdefghjkmnpqrstvwxyz0\"}")).message())
                .isEqualTo("model 'vidu' cannot do image-to-video; use one of auto, kling, seedance");
    }
}
