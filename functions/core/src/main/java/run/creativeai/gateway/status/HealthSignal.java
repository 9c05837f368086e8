package run.creativeai.gateway.status;

/** What is counted per minute, and by whom: the API's answers (5xx fail), webhook attempts (no 2xx fails). */
public enum HealthSignal {
    API_REQUESTS(ComponentId.API),
    WEBHOOK_ATTEMPTS(ComponentId.WEBHOOKS);

    private final ComponentId component;

    HealthSignal(ComponentId component) {
        this.component = component;
    }

    public ComponentId component() {
        return component;
    }
}
