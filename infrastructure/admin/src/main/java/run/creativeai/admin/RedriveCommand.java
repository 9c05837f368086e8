package run.creativeai.admin;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.adapters.sqs.DeadLetterRedrive;
import run.creativeai.gateway.config.FunctionEnvironment;

/**
 * {@code infrastructure/admin/redrive}: lists the messages waiting in the dead-letter queues, and
 * moves them back to the queues they came from (SQS message move tasks), after the cause of their
 * failures has been fixed. Every consumer treats messages as possibly repeated, so a redriven
 * message that meanwhile became moot changes nothing.
 */
public final class RedriveCommand {
    static final String USAGE = """
            usage: infrastructure/admin/redrive [--local URL | --stack NAME [--region REGION]] [list | QUEUE...]

              list        every queue with a dead-letter queue, and how many messages wait there
              (nothing)   move the dead letters of every queue back to it
              QUEUE...    only those queues' (names as list shows them)

            --local URL (default http://127.0.0.1:3000): a local cloud started by infrastructure/local/run.
            --stack NAME: a stack deployed by sam deploy, with the AWS credentials of the environment.
            """;
    /** How long the command waits for one move to end before it reports the move as still running. */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private RedriveCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return AdminCommand.run(args, USAGE, out, err, (environment, rest) -> {
            DeadLetterRedrive redrive = Adapters.deadLetterRedrive(
                    new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
            if (rest.equals(List.of("list"))) {
                for (DeadLetterRedrive.DeadLetters letters : redrive.deadLetters()) {
                    out.printf("%-48s %6d waiting in %s%n", letters.queueName(), letters.waiting(),
                            letters.deadLetterArn());
                }
                return 0;
            }
            List<DeadLetterRedrive.Moved> moved = redrive.redrive(rest, PATIENCE);
            if (moved.isEmpty()) {
                out.println("no dead letters to move" + (rest.isEmpty() ? "" : " for " + String.join(", ", rest)));
            }
            for (DeadLetterRedrive.Moved m : moved) {
                out.printf("%-48s %6d moved back (%s)%n", m.from().queueName(), m.moved(), m.status());
            }
            return moved.stream().allMatch(m -> m.status().equals("COMPLETED")) ? 0 : 1;
        });
    }
}
