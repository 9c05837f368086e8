package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml through cfn-lint with its informational checks, failing on any finding, and proof
 * that the lint catches what would otherwise surface only at deploy time: each case breaks the real
 * template in one place and expects the rule that reports it. One cfn-lint run lints them all.
 */
class CfnLintTest {
    /** One break of template.yaml, and the cfn-lint rule whose finding must name {@code culprit}. */
    record Break(String what, String target, String replacement, String rule, String culprit) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Break> breaks() {
        return List.of(
                new Break("a misspelled resource property", "      VisibilityTimeout: 180", "      VisibilityTimout: 180",
                        "E3002", "VisibilityTimout"),
                new Break("a value of the wrong type", "MessageRetentionPeriod: 1209600\n", "MessageRetentionPeriod: two weeks\n",
                        "E3012", "two weeks"),
                new Break("a missing required property", "      KeySchema: [{ AttributeName: job_id, KeyType: HASH }]\n", "",
                        "E3003", "KeySchema"),
                new Break("a resource type that does not exist", "  ProviderCircuitsTable:\n    Type: AWS::DynamoDB::Table",
                        "  ProviderCircuitsTable:\n    Type: AWS::DynamoDB::Tabel", "E3006", "AWS::DynamoDB::Tabel"),
                new Break("a Ref to nothing", "API_KEYS_TABLE: !Ref ApiKeysTable", "API_KEYS_TABLE: !Ref KeysTable",
                        "E1020", "KeysTable"),
                new Break("a GetAtt on a resource that does not exist", "Resource: !GetAtt ApiKeysTable.Arn",
                        "Resource: !GetAtt KeysTable.Arn", "E1010", "KeysTable"),
                new Break("a GetAtt of an attribute the type does not have", "Queue: !GetAtt EnterpriseQueue.Arn",
                        "Queue: !GetAtt EnterpriseQueue.Url", "E1010", "Url"),
                new Break("a Sub naming nothing", "${JobsTable.Arn}/index/unsettled", "${JobTable.Arn}/index/unsettled",
                        "E1019", "JobTable"),
                new Break("a SAM function property SAM does not know", "      Timeout: 29\n", "      Timeuot: 29\n",
                        "E0001", "Timeuot"),
                new Break("an SQS event property SAM does not know", "FunctionResponseTypes: [ReportBatchItemFailures]",
                        "FunctionResponseType: [ReportBatchItemFailures]", "E0001", "FunctionResponseType"),
                new Break("an SQS event value of the wrong type", "BatchSize: 10", "BatchSize: ten", "E0001", "BatchSize"),
                new Break("a misspelled setting inside what SAM generates from an SQS event",
                        "ScalingConfig: { MaximumConcurrency: 50 }", "ScalingConfig: { MaxConcurrency: 50 }",
                        "E3002", "MaxConcurrency"),
                new Break("a Schedule event property of the wrong type", "Description: Finds and finishes stuck jobs.",
                        "Description: [not, a, string]", "E0001", "Description"));
    }

    private static String version;
    private static Map<Path, List<CfnLint.Finding>> findings;
    private static final List<Path> broken = new ArrayList<>();

    @BeforeAll
    static void lintTemplateAndEveryBrokenCopy(@TempDir Path dir) throws IOException {
        version = CfnLint.installedVersion();
        List<Break> cases = breaks();
        for (int i = 0; i < cases.size(); i++) {
            Break b = cases.get(i);
            broken.add(Files.writeString(dir.resolve("break-" + i + ".yaml"), TemplateYaml.with(b.target(), b.replacement())));
        }
        List<Path> all = new ArrayList<>(List.of(TemplateYaml.PATH));
        all.addAll(broken);
        findings = CfnLint.lint(all);
    }

    @Test
    void templateYamlHasNoFindingNotEvenAnInformationalOne() {
        List<CfnLint.Finding> found = findings.get(TemplateYaml.PATH);
        assertThat(found).withFailMessage(() -> version + " found " + found.size() + " problem(s) in template.yaml:\n"
                + found.stream().map(f -> "  " + f).collect(Collectors.joining("\n"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaks")
    void aBrokenTemplateIsReportedByTheRuleForThatMistake(Break b) {
        List<CfnLint.Finding> found = findings.get(broken.get(breaks().indexOf(b)));
        assertThat(found).as(version + " on template.yaml with " + b.what())
                .anySatisfy(f -> {
                    assertThat(f.rule()).isEqualTo(b.rule());
                    assertThat(f.message()).contains(b.culprit());
                });
    }
}
