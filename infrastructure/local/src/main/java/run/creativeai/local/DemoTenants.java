package run.creativeai.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * The three tenants every local cloud starts with, one per plan, with fixed, well-known API keys and
 * webhook signing secrets, so the README's commands can be pasted as they are.
 */
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
            SigningSecret secret = administration.signingSecret(tenant, signingSecret(plan));
            tenants.add(new DemoTenant(plan, tenant, key, secret.reveal()));
        }
        return tenants;
    }

    /** {@code whsec_} and the base64 of a fixed 32-byte text naming the plan, e.g. {@code local-demo-pro-signing-secret...}. */
    static SigningSecret signingSecret(String plan) {
        String text = ("local-demo-" + plan + "-webhook-signing-secret-0123456789").substring(0, 32);
        return new SigningSecret("whsec_" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
