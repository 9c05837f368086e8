package run.creativeai.gateway.adapters.lambda;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.WebhookSigner;
import run.creativeai.gateway.webhook.WebhookTransport;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a priming adds where a harmless event of the handler's own stops short of an operation its
 * real events make: the same SDK operation, walked through marshalling, signing, the round trip and
 * the error's unmarshalling, on something that makes it fail and change nothing. A transaction whose
 * first item checks for the job no job is ({@link Priming#NO_JOB}), so DynamoDB cancels all of it; a
 * conditional update of that job, which fails; a message sent to a queue that does not exist; a
 * signed webhook posted to an address every URL policy refuses or nothing listens on. None can
 * create a job, move a counter or put a message where a function would act on it. An error is the
 * expected answer; only the unexpected (a client misconfigured) escapes, and fails the priming.
 */
public final class Rehearsals {
    /** The jobs table's key; a priming touches no other item than {@link Priming#NO_JOB}'s, which never exists. */
    private static final String JOB_ID = "job_id";
    /** A job id of the right form for a put that can never apply (its transaction is always cancelled). */
    private static final String NEVER_PUT = "gen_zzzzzzzzzzzzzzzzzzzzzzzzzz";
    /** Discard's port on loopback: a policy for the internet refuses the address, the local one finds nothing there. */
    private static final URI NOWHERE = URI.create("https://127.0.0.1:9/priming");
    /** Appended to a queue's URL: a queue of that name is never created, so SQS answers that it does not exist. */
    private static final String ABSENT_QUEUE = "-priming-absent";

    private static final Logger LOG = LoggerFactory.getLogger(Rehearsals.class);

    private Rehearsals() {
    }

    /**
     * A TransactWriteItems of a check, an update and a put on the jobs table, cancelled by its check
     * (the job it requires does not exist), as an admission's or a slot's transaction is when a
     * condition fails.
     */
    public static void cancelledTransaction(DynamoDbClient dynamo, String jobsTable) {
        Map<String, AttributeValue> noJob = Map.of(JOB_ID, AttributeValue.fromS(Priming.NO_JOB));
        expectingRefusal(() -> dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(jobsTable).key(noJob)
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", JOB_ID))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                TransactWriteItem.builder().update(u -> u.tableName(jobsTable)
                        .key(Map.of(JOB_ID, AttributeValue.fromS(NEVER_PUT.replace('z', 'y'))))
                        .updateExpression("ADD #n :one")
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(Map.of("#n", "priming", "#id", JOB_ID))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                TransactWriteItem.builder().put(p -> p.tableName(jobsTable)
                        .item(Map.of(JOB_ID, AttributeValue.fromS(NEVER_PUT), "priming", AttributeValue.fromBool(true)))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", JOB_ID))).build())));
    }

    /** A conditional UpdateItem of the job no job is, which fails its condition, as a job's versioned write does when it lost a race. */
    public static void failedUpdate(DynamoDbClient dynamo, String jobsTable) {
        failedUpdate(dynamo, jobsTable, Map.of(JOB_ID, AttributeValue.fromS(Priming.NO_JOB)));
    }

    /** A conditional UpdateItem of an item that does not exist ({@code key}), which fails its condition. */
    public static void failedUpdate(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
        expectingRefusal(() -> dynamo.updateItem(b -> b.tableName(table)
                .key(key)
                .updateExpression("SET #v = :v")
                .conditionExpression("#v = :v")
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("0")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
    }

    /** A PutItem of {@code item} on condition that it exists already, which it never does: nothing is written. */
    public static void failedPut(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item) {
        String firstKey = item.keySet().iterator().next();
        expectingRefusal(() -> dynamo.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_exists(#k)")
                .expressionAttributeNames(Map.of("#k", firstKey))));
    }

    /**
     * A job's start message for the job no job is, sent to a queue beside {@code queueUrl} that does
     * not exist (were it ever read, a dispatcher would find no job and do nothing).
     */
    public static void sendToAbsentQueue(SqsClient sqs, String queueUrl) {
        expectingRefusal(() -> sqs.sendMessage(b -> b.queueUrl(queueUrl + ABSENT_QUEUE)
                .messageBody(DispatchMessages.start(new JobId(Priming.NO_JOB))).delaySeconds(0)));
    }

    /** A read of a secret named {@code prefix} and a suffix no secret has, as a tenant's signing secrets are read. */
    public static void readAbsentSecret(SecretsManagerClient secrets, String prefix) {
        expectingRefusal(() -> secrets.getSecretValue(b -> b.secretId(prefix + "priming-absent")));
    }

    /** A webhook event signed as a real one is, posted where it cannot arrive: the transport reports a failed attempt. */
    public static void signedPostToNowhere(WebhookSigner signer, WebhookTransport transport, Instant now) {
        byte[] body = "{\"type\":\"priming\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SigningSecret secret = SigningSecret.generate(new java.security.SecureRandom());
        transport.post(NOWHERE, signer.headers("msg_priming", body, List.of(secret), now), body, Duration.ofSeconds(2));
    }

    /**
     * Runs {@code walk} over components built from {@code real}'s environment with every AWS endpoint
     * and every provider's pointed at a {@link LoopbackStandIn}, their metrics going nowhere: for a
     * priming that walks a real event's whole path, a job found and taken through its writes, which
     * the services themselves must never see. A JVM without the JDK's HTTP server skips it.
     *
     * @return the calls the stand-in answered, in order; empty when it was skipped
     */
    public static List<String> againstStandIn(Components real, Consumer<Components> walk) {
        LoopbackStandIn standIn;
        try {
            standIn = LoopbackStandIn.start(real.environment());
        } catch (LinkageError noHttpServer) {
            LOG.info("no loopback stand-in in this JVM ({}); a priming walks only what a message for no job reaches",
                    noHttpServer.toString());
            return List.of();
        }
        // The rehearsal's job and tenant stay out of the log lines that follow it.
        Map<String, String> logContext = LogContext.capture();
        try (standIn; Components rehearsed = new Components(standIn.environment(), real.clock(), line -> { })) {
            walk.accept(rehearsed);
            return standIn.calls();
        } finally {
            LogContext.restore(logContext);
        }
    }

    private static void expectingRefusal(Runnable call) {
        try {
            call.run();
        } catch (AwsServiceException expected) {
            // The answer a rehearsal is built to get: the whole path ran, nothing changed.
        }
    }
}
