package run.creativeai.client;

import java.util.Locale;

/**
 * Where a workflow is in its life: {@code queued} until it holds one of its tenant's workflow slots.
 * {@link #UNKNOWN} stands for a status this client does not know yet; a wait treats it as not ended.
 */
public enum WorkflowStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED, UNKNOWN;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static WorkflowStatus fromWire(String value) {
        for (WorkflowStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
