package run.creativeai.gateway.workflow;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a workflow is: {@code queued} until it holds one of its tenant's workflow slots, {@code running}
 * while its steps run, then ended for good.
 */
public enum WorkflowStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkflowStatus fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workflow status " + value));
    }
}
