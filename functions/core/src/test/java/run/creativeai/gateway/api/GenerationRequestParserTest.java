package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

class GenerationRequestParserTest {
    private final GenerationRequestParser parser =
            new GenerationRequestParser(ModelCatalog.defaults(), WebhookUrlPolicy.publicInternet(new run.creativeai.gateway.testing.FixedResolver()
                    .answer("hooks.example.com", "93.184.215.14")));

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
        assertThat(error(image("{\"model\":\"sdxl\",\"model\":\"flux\",\"prompt\":\"x\"}")).code())
                .as("duplicate keys are ambiguous").isEqualTo("invalid_json");
    }

    @Test
    void anUnknownModelNamesTheModelsThatExist() {
        assertThat(error(image("{\"model\":\"dall-e-3\",\"prompt\":\"x\"}")).message())
                .contains("'dall-e-3'").contains("auto, ").contains("seedream").doesNotContain("kling");
    }
}
