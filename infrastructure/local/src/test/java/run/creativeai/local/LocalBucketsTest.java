package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.runtime.FunctionHost;
import software.amazon.awssdk.services.s3.model.Bucket;

/** template.yaml's buckets in the local cloud's S3, under the names its functions would be given. */
@ExtendWith(LocalCloudExtension.class)
class LocalBucketsTest {
    @Test
    void theLocalCloudCreatesTheTemplatesUploadsAndOutputsBucketsUnderTheirStackNames(LocalCloud cloud) {
        assertThat(cloud.runtime().resources().bucketNames())
                .containsExactly("creativeai-local-uploadsbucket", "creativeai-local-outputsbucket");
        assertThat(cloud.runtime().s3().listBuckets().buckets()).extracting(Bucket::name)
                .contains("creativeai-local-uploadsbucket", "creativeai-local-outputsbucket");
        assertThat(cloud.runtime().resources().ref("OutputsBucket")).isEqualTo("creativeai-local-outputsbucket");
        assertThat(cloud.runtime().resources().getAtt("UploadsBucket", "Arn"))
                .isEqualTo("arn:aws:s3:::creativeai-local-uploadsbucket");
    }

    @Test
    void everyFunctionCanReachTheLocalS3(LocalCloud cloud) {
        for (FunctionHost function : cloud.runtime().functions().values()) {
            Map<String, String> env = function.environment();
            assertThat(env).as(function.logicalId()).containsEntry("AWS_ENDPOINT_URL_S3", cloud.services().s3Endpoint().toString());
        }
    }
}
