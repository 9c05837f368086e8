package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The local runtime runs template.yaml as it reads it, so a SAM feature it would not reproduce is
 * refused when the template is read instead of being left out without a word. cfn-lint cannot know
 * this: each feature is valid SAM.
 */
class UninterpretedSamFeaturesTest {
    private static void assertRefused(String yaml, String where) {
        assertThatThrownBy(() -> SamFunction.all(Template.parse(yaml)))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(where);
    }

    @Test
    void aFunctionUrlIsRefused() {
        assertRefused(TemplateYaml.with("      Role: !GetAtt IngressRole.Arn\n",
                "      Role: !GetAtt IngressRole.Arn\n      FunctionUrlConfig: { AuthType: NONE }\n"),
                "Resources.IngressFunction.FunctionUrlConfig");
    }

    @Test
    void anAuthorizerOnTheApiIsRefused() {
        assertRefused(TemplateYaml.with("      FailOnWarnings: true\n",
                "      FailOnWarnings: true\n      Auth: { DefaultAuthorizer: AWS_IAM, EnableIamAuthorizer: true }\n"),
                "Resources.GatewayApi.Properties.Auth");
    }

    @Test
    void anAuthorizerOnOneRouteIsRefused() {
        assertRefused(TemplateYaml.with("Method: GET, Path: /v1/quota }", "Method: GET, Path: /v1/quota, Auth: { Authorizer: NONE } }"),
                "Resources.IngressFunction.Events.GetQuota.Properties.Auth");
    }

    @Test
    void aScheduleRetryPolicyIsRefused() {
        assertRefused(TemplateYaml.with("Schedule: rate(1 minute)\n",
                "Schedule: rate(1 minute)\n            RetryPolicy: { MaximumRetryAttempts: 2 }\n"),
                "Resources.ReconcilerFunction.Events.Sweep.Properties.RetryPolicy");
    }

    @Test
    void aServerlessResourceTypeTheRuntimeDoesNotRunIsRefused() {
        assertRefused(TemplateYaml.with("  # ---------------------------------------------------------------- tables\n",
                "  Sessions:\n    Type: AWS::Serverless::SimpleTable\n\n"
                        + "  # ---------------------------------------------------------------- tables\n"),
                "Resources.Sessions: AWS::Serverless::SimpleTable");
    }
}
