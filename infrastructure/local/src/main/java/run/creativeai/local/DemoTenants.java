package run.creativeai.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.access.AccountAdministration;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * The three tenants every local cloud starts with, one per plan, with fixed, well-known API keys and
 * webhook signing secrets and a balance of credits, so the README's commands can be pasted as they are.
 */
public final class DemoTenants {
    /** Credits each demo tenant starts with: enough for the walkthrough and far more. */
    static final Map<String, Long> STARTING_CREDITS = Map.of("free", 1_000L, "pro", 1_000_000L, "enterprise", 10_000_000L);

    /** A demo tenant as printed at start-up. */
    public record DemoTenant(String plan, TenantId tenant, String apiKey, String signingSecret, long credits) {
    }

    private DemoTenants() {
    }

    /**
     * Issues the demo keys and secrets, and tops each demo tenant up to its starting credits (a start
     * on kept data keeps what the tenant has, when that is more).
     */
    static List<DemoTenant> seed(TenantAdministration administration, AccountAdministration accounts) {
        List<DemoTenant> tenants = new ArrayList<>();
        for (String plan : List.of("free", "pro", "enterprise")) {
            TenantId tenant = new TenantId("demo-" + plan);
            String key = "sk-local-" + plan;
            administration.issueKey(tenant, plan, key);
            SigningSecret secret = administration.signingSecret(tenant, signingSecret(plan));
            long credits = accounts.show(tenant).balance().available();
            if (credits < STARTING_CREDITS.get(plan)) {
                credits = accounts.setCredits(tenant, STARTING_CREDITS.get(plan), "local cloud start-up").available();
            }
            tenants.add(new DemoTenant(plan, tenant, key, secret.reveal(), credits));
        }
        return tenants;
    }

    /** {@code whsec_} and the base64 of a fixed 32-byte text naming the plan, e.g. {@code local-demo-pro-signing-secret...}. */
    static SigningSecret signingSecret(String plan) {
        String text = ("local-demo-" + plan + "-webhook-signing-secret-0123456789").substring(0, 32);
        return new SigningSecret("whsec_" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
