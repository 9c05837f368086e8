package run.creativeai.local;

import java.util.ArrayList;
import java.util.List;
import run.creativeai.gateway.tenant.TenantAdministration;
import run.creativeai.gateway.tenant.TenantId;

/** The three tenants every local cloud starts with, one per plan, with fixed, well-known API keys. */
public final class DemoTenants {
    /** A demo tenant as printed at start-up. */
    public record DemoTenant(String plan, TenantId tenant, String apiKey, String signingSecret) {
    }

    private DemoTenants() {
    }

    static List<DemoTenant> seed(TenantAdministration administration) {
        List<DemoTenant> tenants = new ArrayList<>();
        for (String plan : List.of("free", "pro", "enterprise")) {
            TenantId tenant = new TenantId("demo-" + plan);
            String key = "sk-local-" + plan;
            administration.issueKey(tenant, plan, key);
            tenants.add(new DemoTenant(plan, tenant, key, administration.signingSecret(tenant).reveal()));
        }
        return tenants;
    }
}
