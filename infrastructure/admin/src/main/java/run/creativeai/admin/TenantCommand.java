package run.creativeai.admin;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.AdministrationWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * {@code infrastructure/admin/tenant}: creates, lists and revokes a tenant's API keys and rotates
 * its webhook signing secret, against the local cloud or a deployed stack. It goes through the same
 * {@link AdministrationWiring} and {@link TenantAdministration} the functions and the local cloud use; only
 * where the names of the tables and secrets come from differs. A new key and a new secret are
 * printed once, on standard output, and logged nowhere.
 */
public final class TenantCommand {
    static final String USAGE = """
            usage: infrastructure/admin/tenant [--local URL | --stack NAME [--region REGION]] COMMAND ARGS...

              create-key TENANT PLAN     issue a new API key (shown once; only its keyed hash is stored)
              list-keys TENANT           the tenant's keys: id, plan, revoked
              revoke-key TENANT KEY_ID   revoke a key; the next request that presents it gets a 401
              signing-secret TENANT      the secrets the tenant's webhooks are signed with now
              rotate-secret TENANT       start a rotation: a new secret signs beside the current one
              finish-rotation TENANT     end it: the new secret signs alone
              cancel-rotation TENANT     abandon it: the current secret signs alone, the new one is dropped

            --local URL (default http://127.0.0.1:3000): a local cloud started by infrastructure/local/run.
            --stack NAME: a stack deployed by sam deploy, with the AWS credentials of the environment
              (the script reads the stack with the AWS CLI); --region defaults to AWS_REGION.
            """;

    private TenantCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; the exit status: 0 done, 1 refused or failed, 2 usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return AdminCommand.run(args, USAGE, out, err, (environment, rest) -> {
            if (rest.isEmpty()) {
                err.print(USAGE);
                return 2;
            }
            return execute(new AdministrationWiring(new Components(FunctionEnvironment.of(environment), Clock.systemUTC())).tenants(),
                    rest, out, err);
        });
    }

    private static int execute(TenantAdministration administration, List<String> args, PrintStream out, PrintStream err) {
        String command = args.get(0);
        int arity = switch (command) {
            case "create-key", "revoke-key" -> 3;
            case "list-keys", "signing-secret", "rotate-secret", "finish-rotation", "cancel-rotation" -> 2;
            default -> -1;
        };
        if (arity < 0 || args.size() != arity) {
            err.print(arity < 0 ? "unknown command " + command + "\n" + USAGE : "wrong arguments for " + command + "\n" + USAGE);
            return 2;
        }
        TenantId tenant = new TenantId(args.get(1));
        switch (command) {
            case "create-key" -> {
                TenantAdministration.IssuedKey key = administration.issueKey(tenant, args.get(2));
                administration.signingSecret(tenant);
                out.println("tenant   " + tenant);
                out.println("plan     " + args.get(2));
                out.println("key_id   " + key.keyId());
                out.println("api_key  " + key.value());
                out.println("(the key is shown this once; only its keyed hash is stored)");
            }
            case "list-keys" -> {
                List<ApiKeyRecord> keys = administration.keys(tenant);
                if (keys.isEmpty()) {
                    out.println("tenant " + tenant + " has no keys");
                }
                for (ApiKeyRecord key : keys) {
                    out.printf("%-34s %-12s %s%n", key.keyId(), key.plan(), key.revoked() ? "revoked" : "active");
                }
            }
            case "revoke-key" -> {
                administration.revokeKey(tenant, new KeyId(args.get(2)));
                out.println("revoked " + args.get(2) + " of " + tenant + "; the next request with it gets a 401");
            }
            case "signing-secret" -> printSecrets(administration.signingSecrets(tenant), out);
            case "rotate-secret" -> {
                SigningSecret next = administration.rotateSigningSecret(tenant);
                out.println("next     " + next.reveal());
                java.time.Instant both = java.time.Instant.now().plus(Components.SECRET_CACHE)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                out.println("Every event of " + tenant + " carries signatures by the current and the next secret from "
                        + both + " at the latest (the functions cache secrets for " + Components.SECRET_CACHE.toMinutes()
                        + " minutes). After that, move the receiver to the next secret, then run finish-rotation.");
            }
            case "finish-rotation" -> {
                administration.finishSigningSecretRotation(tenant);
                out.println("the next secret of " + tenant + " is now the current one and signs alone (within "
                        + Components.SECRET_CACHE.toMinutes() + " minutes; until then events carry both signatures)");
            }
            case "cancel-rotation" -> {
                administration.cancelSigningSecretRotation(tenant);
                out.println("rotation of " + tenant + "'s signing secret cancelled; the current secret signs alone");
            }
            default -> throw new IllegalStateException(command);
        }
        return 0;
    }

    private static void printSecrets(ActiveSigningSecrets secrets, PrintStream out) {
        out.println("current  " + secrets.current().reveal());
        secrets.next().ifPresent(next -> out.println("next     " + next.reveal() + "   (rotation in progress)"));
    }
}
