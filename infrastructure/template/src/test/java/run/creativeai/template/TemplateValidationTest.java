package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against CloudFormation's published resource schemas (installed from npm by the
 * build), and proof that the check catches the mistakes that would otherwise surface only at
 * deploy time: each negative case breaks the real template in one place.
 */
class TemplateValidationTest {
    private static ResourceSchemas schemas;
    private static String templateText;

    @BeforeAll
    static void load() throws IOException {
        schemas = ResourceSchemas.load(Path.of(System.getProperty("cfn.spec")));
        templateText = Files.readString(Path.of(System.getProperty("template.path")));
    }

    private static List<String> problemsOf(String yaml) {
        return new TemplateValidator(schemas).validate(Template.parse(yaml));
    }

    private static String replaceOnce(String target, String replacement) {
        assertThat(templateText).as("the template still contains the text this case breaks").contains(target);
        return templateText.replaceFirst(java.util.regex.Pattern.quote(target),
                java.util.regex.Matcher.quoteReplacement(replacement));
    }

    @Test
    void theSpecificationIsTheFullCloudFormationCatalogue() {
        assertThat(schemas.resourceTypeCount()).isGreaterThan(1000);
        assertThat(schemas.resource("AWS::Lambda::EventSourceMapping")).isPresent();
    }

    @Test
    void templateYamlPassesEverySchemaAndReferenceCheck() {
        assertThat(problemsOf(templateText)).isEmpty();
    }

    @Test
    void aMisspelledQueuePropertyIsReported() {
        assertThat(problemsOf(replaceOnce("      VisibilityTimeout: 180", "      VisibilityTimout: 180")))
                .anySatisfy(p -> assertThat(p).contains("EnterpriseQueue.Properties.VisibilityTimout: unknown property"));
    }

    @Test
    void aMisspelledEventSourceSettingIsReportedAgainstTheEventSourceMapping() {
        assertThat(problemsOf(replaceOnce("FunctionResponseTypes: [ReportBatchItemFailures]",
                "FunctionResponseType: [ReportBatchItemFailures]")))
                .anySatisfy(p -> assertThat(p).contains("Events.EnterpriseJobs").contains("FunctionResponseType: unknown property"));
    }

    @Test
    void aValueOfTheWrongTypeIsReported() {
        assertThat(problemsOf(replaceOnce("BatchSize: 10", "BatchSize: ten")))
                .anySatisfy(p -> assertThat(p).contains("BatchSize: expected an integer"));
    }

    @Test
    void aNestedPropertyTypeIsChecked() {
        assertThat(problemsOf(replaceOnce("ScalingConfig: { MaximumConcurrency: 50 }", "ScalingConfig: { MaxConcurrency: 50 }")))
                .anySatisfy(p -> assertThat(p).contains("ScalingConfig.MaxConcurrency: unknown property"));
    }

    @Test
    void aMissingRequiredPropertyIsReported() {
        assertThat(problemsOf(replaceOnce("      KeySchema: [{ AttributeName: job_id, KeyType: HASH }]\n", "")))
                .anySatisfy(p -> assertThat(p).contains("JobsTable.Properties.KeySchema: required property is missing"));
    }

    @Test
    void anAttributeTheResourceTypeDoesNotHaveIsReported() {
        assertThat(problemsOf(replaceOnce("Queue: !GetAtt EnterpriseQueue.Arn", "Queue: !GetAtt EnterpriseQueue.Url")))
                .anySatisfy(p -> assertThat(p).contains("AWS::SQS::Queue EnterpriseQueue has no attribute Url"));
    }

    @Test
    void aReferenceToNothingIsReported() {
        assertThat(problemsOf(replaceOnce("API_KEYS_TABLE: !Ref ApiKeysTable", "API_KEYS_TABLE: !Ref KeysTable")))
                .anySatisfy(p -> assertThat(p).contains("Ref to KeysTable, which is neither a parameter nor a resource"));
    }

    @Test
    void aMisspelledFunctionPropertyIsReportedAgainstTheLambdaFunction() {
        assertThat(problemsOf(replaceOnce("      Timeout: 29\n", "      Timeuot: 29\n")))
                .anySatisfy(p -> assertThat(p).contains("IngressFunction.Properties (as AWS::Lambda::Function).Timeuot: unknown property"));
    }

    @Test
    void aSamFeatureTheLocalRuntimeDoesNotInterpretIsRefused() {
        assertThat(problemsOf(replaceOnce("      Role: !GetAtt IngressRole.Arn\n",
                "      Role: !GetAtt IngressRole.Arn\n      FunctionUrlConfig: { AuthType: NONE }\n")))
                .anySatisfy(p -> assertThat(p).contains("IngressFunction.FunctionUrlConfig: this SAM feature is not interpreted"));
    }

    @Test
    void aScheduleEventIsCheckedAsTheEventBridgeRuleSamMakesOfIt() {
        assertThat(problemsOf(replaceOnce("Description: Finds and finishes stuck jobs.", "Description: [not, a, string]")))
                .anySatisfy(p -> assertThat(p).contains("Events.Sweep").contains("Description: expected a string"));
    }

    @Test
    void aScheduleTheLocalRuntimeCannotRunIsRefused() {
        assertThat(problemsOf(replaceOnce("Schedule: rate(1 minute)", "Schedule: cron(0/5 * * * ? *)")))
                .anySatisfy(p -> assertThat(p).contains("Events.Sweep.Properties.Schedule").contains("rate"));
        assertThat(problemsOf(replaceOnce("Schedule: rate(1 minute)", "Schedule: rate(1 minute)\n            RetryPolicy: { MaximumRetryAttempts: 2 }")))
                .anySatisfy(p -> assertThat(p).contains("Events.Sweep.Properties.RetryPolicy"));
    }
}
