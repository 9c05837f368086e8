package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.TrainingInput;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

class TrainingRequestParserTest {
    private static final ModelCatalog MODELS = ModelCatalog.defaults();
    private final TrainingRequestParser parser = new TrainingRequestParser(MODELS, new GenerationRequestParser(MODELS,
            WebhookUrlPolicy.publicInternet(new run.creativeai.gateway.testing.FixedResolver()
                    .answer("hooks.example.com", "93.184.215.14"))));

    private static String images(int count) {
        return String.join(",", IntStream.range(0, count)
                .mapToObj(i -> "\"upl_0000000000000000000000000" + Integer.toString(i, 32) + "\"").toList());
    }

    private Parsed<GenerationRequest> parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTrainingOfFluxStartsAtItsTrainerWithItsImagesTriggerWordAndDefaultSteps() {
        Parsed<GenerationRequest> parsed = parse("{\"base_model\":\"Flux\",\"images\":[" + images(4)
                + "],\"trigger_word\":\"sks_mug\",\"webhook_url\":\"https://hooks.example.com/t\"}");
        assertThat(parsed).as("%s", parsed).isInstanceOf(Parsed.Valid.class);
        GenerationRequest request = ((Parsed.Valid<GenerationRequest>) parsed).value();
        assertThat(request.kind()).isEqualTo(JobKind.TRAINING);
        assertThat(request.operation()).isEqualTo(Operation.LORA_TRAINING);
        assertThat(request.model()).isEqualTo("flux-lora-fal");
        assertThat(request.requestedModel()).isEqualTo("flux");
        TrainingInput training = request.training().orElseThrow();
        assertThat(training.images()).hasSize(4);
        assertThat(training.triggerWord()).isEqualTo("sks_mug");
        assertThat(training.steps()).isEqualTo(TrainingInput.DEFAULT_STEPS);
        assertThat(training.archive()).as("packed at admission, not by the parser").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no base model       | "images":[IMAGES4],"trigger_word":"tok"                                        | base_model
            unknown base model  | "base_model":"dall-e","images":[IMAGES4],"trigger_word":"tok"                  | base_model
            video base model    | "base_model":"kling","images":[IMAGES4],"trigger_word":"tok"                   | base_model
            untrainable image   | "base_model":"sdxl","images":[IMAGES4],"trigger_word":"tok"                    | base_model
            no images           | "base_model":"flux","trigger_word":"tok"                                       | images
            images not an array | "base_model":"flux","images":"upl_00000000000000000000000000","trigger_word":"tok" | images
            too few images      | "base_model":"flux","images":[IMAGES3],"trigger_word":"tok"                    | images
            too many images     | "base_model":"flux","images":[IMAGES21],"trigger_word":"tok"                   | images
            not an upload id    | "base_model":"flux","images":[IMAGES3,"https://example.com/a.png"],"trigger_word":"tok" | images[3]
            an upload twice     | "base_model":"flux","images":[IMAGES3,"upl_00000000000000000000000000"],"trigger_word":"tok" | images[3]
            no trigger word     | "base_model":"flux","images":[IMAGES4]                                         | trigger_word
            trigger with space  | "base_model":"flux","images":[IMAGES4],"trigger_word":"my mug"                 | trigger_word
            trigger too long    | "base_model":"flux","images":[IMAGES4],"trigger_word":"LONG41"                 | trigger_word
            trigger a number    | "base_model":"flux","images":[IMAGES4],"trigger_word":7                        | trigger_word
            steps too few       | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","steps":99         | steps
            steps too many      | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","steps":4001       | steps
            steps a fraction    | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","steps":500.5      | steps
            steps a string      | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","steps":"500"      | steps
            unknown field       | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","epochs":3         | epochs
            webhook not https   | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","webhook_url":"http://hooks.example.com/t" | webhook_url
            filter w/o webhook  | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","webhook_events_filter":["completed"] | webhook_events_filter
            metadata not object | "base_model":"flux","images":[IMAGES4],"trigger_word":"tok","metadata":[1]      | metadata
            """)
    void everyBadFieldIsA400NamingIt(String what, String fields, String param) {
        String body = "{" + fields.replace("IMAGES21", images(21)).replace("IMAGES4", images(4))
                .replace("IMAGES3", images(3)).replace("LONG41", "a".repeat(41)) + "}";
        Parsed<GenerationRequest> parsed = parse(body);
        assertThat(parsed).as(what).isInstanceOf(Parsed.Invalid.class);
        ApiError error = ((Parsed.Invalid<GenerationRequest>) parsed).error();
        assertThat(error.status()).as(what).isEqualTo(400);
        assertThat(error.param()).as(what + ": " + error.message()).contains(param);
        assertThat(error.message()).as(what).contains(param.replaceAll("\\[\\d+]", ""));
    }

    @Test
    void aBodyThatIsNotAnObjectIsA400() {
        assertThat(parse("[1]")).isInstanceOf(Parsed.Invalid.class);
        assertThat(parse("{\"base_model\":")).isInstanceOf(Parsed.Invalid.class);
    }

    @Test
    void aTrainedModelDoesTextToImageOnlyAndNeverReachesTheCatalogueLookup() {
        GenerationRequestParser generations = new GenerationRequestParser(MODELS,
                WebhookUrlPolicy.publicInternet(new run.creativeai.gateway.testing.FixedResolver()));
        Parsed<GenerationRequest> named = generations.parse(JobKind.IMAGE,
                "{\"model\":\"ft_01hz0000000000000000000000\",\"prompt\":\"a sks mug\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(named).isInstanceOf(Parsed.Valid.class);
        Parsed<GenerationRequest> video = generations.parse(JobKind.VIDEO,
                "{\"model\":\"ft_01hz0000000000000000000000\",\"prompt\":\"x\",\"duration\":5}".getBytes(StandardCharsets.UTF_8));
        assertThat(((Parsed.Invalid<GenerationRequest>) video).error().param()).contains("model");
        assertThat(List.of(MODELS.trainableModels())).isNotEmpty();
    }
}
