package run.creativeai.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow to create ({@code POST /v1/workflows}): a small acyclic graph of generation steps, each
 * admitted as a generation once the steps it takes images from have succeeded. A step names its
 * {@code operation}; a step takes an earlier step's output by naming {@link #output} as its
 * {@code image} or {@code mask}.
 *
 * <pre>{@code
 * WorkflowRequest.builder()
 *         .step("still", ImageRequest.builder("seedream").operation("text-to-image").prompt("a lighthouse").build())
 *         .step("clip", VideoRequest.builder("kling").operation("image-to-video").prompt("the light turns")
 *                 .image(WorkflowRequest.output("still", 0)).duration(5).build())
 *         .build();
 * }</pre>
 */
public record WorkflowRequest(Map<String, Object> fields) {

    public static Builder builder() {
        return new Builder();
    }

    /** A reference to a step's output, counting from 0, for a later step's {@code image} or {@code mask}. */
    public static String output(String stepId, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("outputs count from 0, not " + index);
        }
        return "{{" + stepId + ".outputs[" + index + "]}}";
    }

    public static final class Builder extends CreateBuilder<Builder> {
        private final List<Map<String, Object>> steps = new ArrayList<>();

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * A step, run as {@code request} would be created on its own (every limit, price, failover and
         * webhook of a generation applies to it).
         *
         * @param id 1 to 40 of {@code a-z}, {@code 0-9}, {@code _} and {@code -}, unique in the workflow
         */
        public Builder step(String id, GenerationRequest request) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("id", id);
            step.putAll(request.fields());
            steps.add(step);
            return this;
        }

        public WorkflowRequest build() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("steps", List.copyOf(steps));
            body.putAll(fields);
            return new WorkflowRequest(java.util.Collections.unmodifiableMap(body));
        }
    }
}
