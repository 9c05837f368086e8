package run.creativeai.gateway.webhook;

import java.util.List;
import run.creativeai.gateway.tenant.TenantId;

/** Every status subscription a notice goes to. */
@FunctionalInterface
public interface Subscribers {
    List<Subscriber> all();

    record Subscriber(TenantId tenant, String subscriptionId) {
    }
}
