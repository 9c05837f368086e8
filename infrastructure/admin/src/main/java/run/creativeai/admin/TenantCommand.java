package run.creativeai.admin;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.access.AccountAdministration;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.AdministrationWiring;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * {@code infrastructure/admin/tenant}: creates, lists and revokes a tenant's API keys, rotates its
 * webhook signing secret, and changes its account (credits, custom limits, dedicated slots, key
 * budgets, each recorded with who and when), against the local cloud or a deployed stack. It goes through the same
 * {@link AdministrationWiring} and {@link TenantAdministration} the functions and the local cloud use; only
 * where the names of the tables and secrets come from differs. A new key and a new secret are
 * printed once, on standard output, and logged nowhere.
 */
public final class TenantCommand {
    static final String USAGE = """
            usage: infrastructure/admin/tenant [--local URL | --stack NAME [--region REGION]] COMMAND ARGS...

              create-key TENANT PLAN     issue a new API key (shown once; only its keyed hash is stored)
              list-keys TENANT           the tenant's keys: id, plan, revoked
              revoke-key TENANT KEY_ID   revoke a key; the next request that presents it gets a 401 (a creation: within 2 s)
              signing-secret TENANT      the secrets the tenant's webhooks are signed with now
              rotate-secret TENANT       start a rotation: a new secret signs beside the current one
              finish-rotation TENANT     end it: the new secret signs alone
              cancel-rotation TENANT     abandon it: the current secret signs alone, the new one is dropped

              credits add TENANT N       add N credits to what the tenant may spend (1 to 1000000000), seen within 1 s
              credits set TENANT N       set what the tenant may spend to N (running jobs' refunds come on top)
              limits set TENANT RULE VALUE   override one rule of the tenant's plan (a number or unlimited);
                                         RULE as 429 bodies name it (plan_requests_per_minute,
                                         model.flux.images_per_minute, concurrent_tasks, concurrent_video_jobs,
                                         concurrent_trainings, training_requests_per_hour, ...) or as a plan
                                         field (video.concurrent, workflows.concurrent); from the tenant's next request
              limits clear TENANT RULE   the plan's own number again
              reserve TENANT PROVIDER SLOTS  set SLOTS of PROVIDER aside for the tenant alone (0 ends it)
              key-budget TENANT KEY_ID N|none  the key's daily budget of credits (max_credits_per_day)
              show TENANT                plan, keys, custom limits, reserved slots, balance
              audit TENANT [N]           the last N changes (default 20): who, when, what

            --local URL (default http://127.0.0.1:3000): a local cloud started by infrastructure/local/run.
            --stack NAME: a stack deployed by sam deploy, with the AWS credentials of the environment
              (the script reads the stack with the AWS CLI); --region defaults to AWS_REGION.
            --operator NAME: who makes the change, for the audit trail (default: the AWS identity with
              --stack, else the local user).
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
            List<String> words = new ArrayList<>(rest);
            String operator = System.getProperty("user.name", "operator") + " (local)";
            int flag = words.indexOf("--operator");
            if (flag >= 0) {
                if (flag + 1 >= words.size() || words.get(flag + 1).isBlank()) {
                    err.println("--operator needs a name");
                    return 2;
                }
                operator = words.get(flag + 1);
                words.subList(flag, flag + 2).clear();
            }
            if (words.isEmpty()) {
                err.print(USAGE);
                return 2;
            }
            AdministrationWiring wiring = new AdministrationWiring(new Components(FunctionEnvironment.of(environment),
                    Clock.systemUTC()));
            if (ACCOUNT_COMMANDS.contains(words.get(0))) {
                return account(wiring.accounts(), words, operator, out, err);
            }
            return execute(wiring.tenants(), words, out, err);
        });
    }

    private static final java.util.Set<String> ACCOUNT_COMMANDS = java.util.Set.of("credits", "limits", "reserve",
            "key-budget", "show", "audit");

    /** The commands on a tenant's account: credits, custom limits, dedicated slots, budgets, and what changed. */
    private static int account(AccountAdministration accounts, List<String> args, String operator, PrintStream out,
            PrintStream err) {
        String command = args.get(0);
        String sub = args.size() > 1 ? args.get(1) : "";
        boolean usage = switch (command) {
            case "credits" -> args.size() != 4 || !(sub.equals("add") || sub.equals("set"));
            case "limits" -> !(sub.equals("set") && args.size() == 5) && !(sub.equals("clear") && args.size() == 4);
            case "reserve", "key-budget" -> args.size() != 4;
            case "show" -> args.size() != 2;
            case "audit" -> args.size() != 2 && args.size() != 3;
            default -> true;
        };
        if (usage) {
            err.print("wrong arguments for " + command + "\n" + USAGE);
            return 2;
        }
        switch (command) {
            case "credits" -> {
                TenantId tenant = tenant(args.get(2));
                long credits = number("N", args.get(3));
                Balance balance = sub.equals("add") ? accounts.addCredits(tenant, credits, operator)
                        : accounts.setCredits(tenant, credits, operator);
                out.println("credits of " + tenant + ": balance " + balance.available() + ", reserved " + balance.reserved()
                        + " (requests see it within a second)");
            }
            case "limits" -> {
                TenantId tenant = tenant(args.get(2));
                TenantTerms terms = sub.equals("set") ? accounts.setLimit(tenant, args.get(3), args.get(4), operator)
                        : accounts.clearLimit(tenant, args.get(3), operator);
                out.println("custom limits of " + tenant + ": " + terms.limits() + " (from its next request)");
            }
            case "reserve" -> {
                TenantId tenant = tenant(args.get(1));
                TenantTerms terms = accounts.reserve(tenant, args.get(2), number("SLOTS", args.get(3)), operator);
                out.println("dedicated slots of " + tenant + ": " + (terms.dedicatedSlots().isEmpty() ? "none"
                        : terms.dedicatedSlots()) + " (its jobs admitted from now on use them)");
            }
            case "key-budget" -> {
                TenantId tenant = tenant(args.get(1));
                Optional<Long> budget = args.get(3).equals("none") ? Optional.empty()
                        : Optional.of(number("N", args.get(3)));
                accounts.setKeyBudget(tenant, new KeyId(args.get(2)), budget, operator);
                out.println("max_credits_per_day of " + args.get(2) + ": " + budget.map(String::valueOf).orElse("none"));
            }
            case "show" -> show(accounts.show(tenant(args.get(1))), out);
            case "audit" -> {
                TenantId tenant = tenant(args.get(1));
                int limit = args.size() == 3 ? (int) Math.min(1000, number("N", args.get(2))) : 20;
                List<AuditEntry> entries = accounts.audit(tenant, limit);
                if (entries.isEmpty()) {
                    out.println("no changes recorded for " + tenant);
                }
                for (AuditEntry entry : entries) {
                    out.printf("%s  %-24s %-13s %s%n", entry.at(), entry.actor(), entry.action(), entry.detail());
                }
            }
            default -> throw new IllegalStateException(command);
        }
        return 0;
    }

    private static void show(AccountAdministration.TenantView view, PrintStream out) {
        out.println("tenant     " + view.tenant());
        if (view.keys().isEmpty()) {
            out.println("keys       none");
        }
        for (ApiKeyRecord key : view.keys()) {
            out.printf("key        %-34s plan %-12s %-8s %s%n", key.keyId(), key.plan(), key.revoked() ? "revoked" : "active",
                    key.maxCreditsPerDay().map(max -> "budget " + max + " credits/day").orElse("no budget"));
        }
        out.println("limits     " + (view.terms().hasCustomLimits() ? view.terms().limits() + " (over the plan's)"
                : "the plan's own"));
        out.println("dedicated  " + (view.terms().dedicatedSlots().isEmpty() ? "none" : view.terms().dedicatedSlots()));
        out.println("credits    balance " + view.balance().available() + ", reserved " + view.balance().reserved());
    }

    private static TenantId tenant(String value) {
        try {
            return new TenantId(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a tenant id: " + value);
        }
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + value);
        }
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
                out.println("revoked " + args.get(2) + " of " + tenant + "; the next request with it gets a 401 (a creation: within 2 s)");
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
