package run.creativeai.admin;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.AdministrationWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.status.Incidents;
import run.creativeai.gateway.status.NoticeJson;

/**
 * {@code infrastructure/admin/status}: operators open, update and resolve incidents and schedule,
 * move and cancel maintenance on the status page. Each change is published on {@code /v1/status} and
 * announced to the status subscriptions at once, as an automatic incident is; what cannot be done
 * (an unknown component, a window that ends before it starts, an update of a resolved incident) is
 * refused with the reason and changes nothing.
 */
public final class StatusCommand {
    static final String USAGE = """
            usage: infrastructure/admin/status [--local URL | --stack NAME [--region REGION]] COMMAND ARGS...

              open COMPONENTS IMPACT TITLE MESSAGE           open an incident
              update INCIDENT STATE MESSAGE [IMPACT]         add to an open incident's timeline
              resolve INCIDENT MESSAGE                       resolve an incident
              schedule COMPONENTS FROM UNTIL TITLE MESSAGE   schedule maintenance
              reschedule MAINTENANCE FROM UNTIL MESSAGE      move a window not yet completed ("-" keeps a time)
              cancel MAINTENANCE MESSAGE                     cancel a window

            COMPONENTS: ids as /v1/status names them, comma-separated (api,webhooks,queues,seedream,...).
            IMPACT: degraded, partial_outage or major_outage. STATE: investigating, identified, monitoring
            or resolved. FROM, UNTIL: UTC times such as 2026-12-06T02:00:00Z.

            --local URL (default http://127.0.0.1:3000): a local cloud started by infrastructure/local/run.
            --stack NAME: a stack deployed by sam deploy, with the AWS credentials of the environment
              (the script reads the stack with the AWS CLI); --region defaults to AWS_REGION.
            """;

    private StatusCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; the exit status: 0 done, 1 refused or failed, 2 usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return AdminCommand.run(args, USAGE, out, err, (environment, rest) -> {
            if (rest.isEmpty() || arity(rest.get(0)).isEmpty()) {
                err.print(rest.isEmpty() ? USAGE : "unknown command " + rest.get(0) + "\n" + USAGE);
                return 2;
            }
            List<Integer> allowed = arity(rest.get(0)).get();
            if (!allowed.contains(rest.size() - 1)) {
                err.print("wrong arguments for " + rest.get(0) + "\n" + USAGE);
                return 2;
            }
            Incidents incidents = new AdministrationWiring(new Components(FunctionEnvironment.of(environment),
                    Clock.systemUTC())).incidents();
            Incidents.Result result = execute(incidents, rest);
            if (result instanceof Incidents.Refused refused) {
                err.println(refused.reason());
                return 1;
            }
            out.println(Json.write(NoticeJson.view(((Incidents.Done) result).notice())));
            return 0;
        });
    }

    /** How many arguments each command takes after its name. */
    private static Optional<List<Integer>> arity(String command) {
        return Optional.ofNullable(switch (command) {
            case "open", "reschedule" -> List.of(4);
            case "update" -> List.of(3, 4);
            case "resolve", "cancel" -> List.of(2);
            case "schedule" -> List.of(5);
            default -> null;
        });
    }

    private static Incidents.Result execute(Incidents incidents, List<String> args) {
        String command = args.get(0);
        try {
            return switch (command) {
                case "open" -> incidents.open(args.get(3), components(args.get(1)), args.get(2), args.get(4));
                case "update" -> incidents.update(args.get(1), args.get(2), args.get(3),
                        args.size() > 4 ? Optional.of(args.get(4)) : Optional.empty());
                case "resolve" -> incidents.resolve(args.get(1), args.get(2));
                case "schedule" -> incidents.schedule(args.get(4), components(args.get(1)),
                        required("FROM", args.get(2)), required("UNTIL", args.get(3)), args.get(5));
                case "reschedule" -> incidents.reschedule(args.get(1), time("FROM", args.get(2)),
                        time("UNTIL", args.get(3)), args.get(4));
                case "cancel" -> incidents.cancel(args.get(1), args.get(2));
                default -> throw new IllegalStateException(command);
            };
        } catch (BadTime e) {
            return new Incidents.Refused(e.getMessage());
        }
    }

    private static List<String> components(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Instant required(String name, String value) {
        return time(name, value).orElseThrow(() -> new BadTime(name + " is needed to schedule a window"));
    }

    /** A time argument; empty for "-" (keep the window's). */
    private static Optional<Instant> time(String name, String value) {
        if (value.equals("-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new BadTime(name + " must be a UTC time such as 2026-12-06T02:00:00Z, not " + value);
        }
    }

    private static final class BadTime extends RuntimeException {
        BadTime(String message) {
            super(message, null, false, false);
        }
    }
}
