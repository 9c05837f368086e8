package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.testing.FixedResolver;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

class WorkflowRequestParserTest {
    private final WorkflowRequestParser parser = new WorkflowRequestParser(new GenerationRequestParser(
            ModelCatalog.defaults(), WebhookUrlPolicy.publicInternet(new FixedResolver()
                    .answer("hooks.example.com", "93.184.215.14"))));

    private static final String STILL = "{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"seedream\",\"prompt\":\"a lighthouse\"}";

    private Parsed<WorkflowRequest> parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private ApiError error(String json) {
        Parsed<WorkflowRequest> parsed = parse(json);
        assertThat(parsed).as("refused").isInstanceOf(Parsed.Invalid.class);
        ApiError error = ((Parsed.Invalid<WorkflowRequest>) parsed).error();
        assertThat(error.status()).isEqualTo(400);
        return error;
    }

    private static String clip(String image) {
        return "{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\",\"prompt\":\"waves\",\"image\":\""
                + image + "\",\"duration\":5}";
    }

    @Test
    void theIssuesExampleIsAStillAndAClipThatTakesTheStillsFirstOutput() {
        Parsed<WorkflowRequest> parsed = parse("{\"steps\":[" + STILL + "," + clip("{{still.outputs[0]}}")
                + "],\"webhook_url\":\"https://hooks.example.com/wf\"}");
        WorkflowRequest request = ((Parsed.Valid<WorkflowRequest>) parsed).value();
        assertThat(request.steps()).extracting(WorkflowRequest.Step::id).containsExactly("still", "clip");
        assertThat(request.steps().get(1).request().operation()).isEqualTo(Operation.IMAGE_TO_VIDEO);
        assertThat(request.steps().get(1).request().image()).contains(new MediaSource.StepOutput("still", 0));
        assertThat(request.webhookUrl()).isPresent();
    }

    @Test
    void aStepsOwnFieldErrorReadsAsAJobsPrefixedWithTheStep() {
        ApiError error = error("{\"steps\":[" + STILL + ",{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\","
                + "\"prompt\":\"waves\",\"image\":\"{{still.outputs[0]}}\",\"duration\":7}]}");
        assertThat(error.param()).contains("steps[1].duration");
        assertThat(error.message()).startsWith("steps[1].duration must be one of").endsWith("(step 'clip')");
    }

    @Test
    void anOperationTheModelCannotDoNamesTheStepsModel() {
        ApiError error = error("{\"steps\":[{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"kling\",\"prompt\":\"x\"}]}");
        assertThat(error.param()).contains("steps[0].model");
    }

    @Test
    void anUnknownReferenceACycleAndASelfReferenceNameTheStepAndField() {
        assertThat(error("{\"steps\":[" + STILL + "," + clip("{{stil.outputs[0]}}") + "]}").param()).contains("steps[1].image");
        assertThat(error("{\"steps\":[" + clip("{{clip.outputs[0]}}") + "]}").message()).contains("itself");
        String a = "{\"id\":\"a\",\"operation\":\"upscale\",\"model\":\"flux\",\"image\":\"{{b.outputs[0]}}\"}";
        String b = "{\"id\":\"b\",\"operation\":\"upscale\",\"model\":\"flux\",\"image\":\"{{a.outputs[0]}}\"}";
        ApiError cycle = error("{\"steps\":[" + a + "," + b + "]}");
        assertThat(cycle.param()).contains("steps[0].image");
        assertThat(cycle.message()).contains("a -> b -> a");
    }

    @Test
    void aMalformedReferenceDuplicateIdsAMissingOperationAndTooManyStepsAreEach400() {
        assertThat(error("{\"steps\":[" + STILL + "," + clip("{{still.output}}") + "]}").param()).contains("steps[1].image");
        assertThat(error("{\"steps\":[" + STILL + "," + STILL + "]}").param()).contains("steps[1].id");
        assertThat(error("{\"steps\":[{\"id\":\"x\",\"model\":\"seedream\",\"prompt\":\"p\"}]}").param())
                .contains("steps[0].operation");
        StringBuilder many = new StringBuilder("{\"steps\":[");
        for (int i = 0; i <= run.creativeai.gateway.workflow.WorkflowGraph.MAX_STEPS; i++) {
            many.append(i == 0 ? "" : ",").append(STILL.replace("\"still\"", "\"s" + i + "\""));
        }
        assertThat(error(many + "]}").param()).contains("steps");
        assertThat(error("{\"steps\":[]}").param()).contains("steps");
        assertThat(error("{\"steps\":[" + STILL + "],\"webhookUrl\":\"x\"}").param()).contains("webhookUrl");
        assertThat(error("{\"steps\":[\"still\"]}").param()).contains("steps[0]");
    }
}
