package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThat;
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
    void aFunctionUrlWithIamAuthCorsOrStreamingIsRefused() {
        String url = "        AuthType: NONE\n";
        assertRefused(TemplateYaml.with(url, "        AuthType: AWS_IAM\n"),
                "Resources.ProviderCallbackFunction.FunctionUrlConfig.AuthType");
        assertRefused(TemplateYaml.with(url, url + "        Cors: { AllowOrigins: ['*'] }\n"),
                "Resources.ProviderCallbackFunction.FunctionUrlConfig.Cors");
        assertRefused(TemplateYaml.with(url, url + "        InvokeMode: RESPONSE_STREAM\n"),
                "Resources.ProviderCallbackFunction.FunctionUrlConfig.InvokeMode");
    }

    @Test
    void aFunctionUrlWithoutAuthIsReadAsTheUrlSamGeneratesForIt() {
        assertThat(SamFunction.all(Template.parse(TemplateYaml.with("        AuthType: NONE\n",
                "        AuthType: NONE\n        InvokeMode: BUFFERED\n"))).stream()
                .flatMap(f -> f.url().stream()).map(SamFunction.FunctionUrl::logicalId))
                .containsExactly("ProviderCallbackFunctionUrl");
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
