package run.creativeai.gateway.job;

import java.util.Optional;
import java.util.regex.Pattern;
import run.creativeai.gateway.config.IdSource;

/** A workflow's public identifier, {@code wf_} followed by a time-ordered id. */
public record WorkflowId(String value) {
    private static final Pattern FORMAT = Pattern.compile("wf_[0-9a-z]{26}");

    public WorkflowId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a workflow id: " + value);
        }
    }

    public static WorkflowId next(IdSource ids) {
        return new WorkflowId("wf_" + ids.next());
    }

    /** For ids arriving from outside (a path, a message): no exception, just absence. */
    public static Optional<WorkflowId> parse(String value) {
        return value != null && FORMAT.matcher(value).matches() ? Optional.of(new WorkflowId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
