package run.creativeai.gateway.workflow;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.media.MediaSource;

/**
 * One step of a workflow: the generation it runs, whose inputs may be earlier steps' outputs
 * ({@link MediaSource.StepOutput}), and the id its job gets once it is admitted. The job id is fixed
 * when the workflow is made, so a step admitted twice (a repeated message) finds its job already there.
 */
public record WorkflowStep(String id, GenerationRequest request, JobId jobId) {
    public WorkflowStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(jobId, "jobId");
    }

    /** The earlier steps' outputs this step takes, in its fields' order (image, then mask). */
    public Set<MediaSource.StepOutput> references() {
        Set<MediaSource.StepOutput> refs = new LinkedHashSet<>();
        Stream.of(request.image(), request.mask()).flatMap(java.util.Optional::stream)
                .filter(MediaSource.StepOutput.class::isInstance).map(MediaSource.StepOutput.class::cast).forEach(refs::add);
        return refs;
    }

    /** The ids of the steps whose outputs this step takes: it is ready once they have all succeeded. */
    public Set<String> dependencies() {
        Set<String> ids = new LinkedHashSet<>();
        references().forEach(r -> ids.add(r.step()));
        return ids;
    }

    /** How many outputs this step's job makes: {@code n} images, or one video. */
    public int outputCount() {
        return request.n();
    }
}
