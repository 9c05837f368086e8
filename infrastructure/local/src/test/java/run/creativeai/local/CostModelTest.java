package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {
    @Test
    void aMillionJobsCostTheirUnitsTimesTheListPrices() {
        // 4 WRU + 2 RRU, 6 SQS requests, 3 invocations of 100 ms at 1 GB (arm64), 1 API request, no secrets.
        Map<String, Double> cost = CostModel.US_EAST_1.perMillionJobs(
                new CostModel.Usage(4, 2, 6, 3, CostModel.gbSeconds(300, 1024), 1, 0));

        assertThat(cost.get("DynamoDB")).isCloseTo(4 * 0.625 + 2 * 0.125, within(1e-9));
        assertThat(cost.get("SQS")).isCloseTo(2.40, within(1e-9));
        assertThat(cost.get("Lambda")).isCloseTo(0.60 + 0.3 * 13.3334, within(1e-6));
        assertThat(cost.get("API Gateway")).isCloseTo(1.00, within(1e-9));
        assertThat(cost.get("total")).isCloseTo(2.75 + 2.40 + 0.60 + 4.00002 + 1.00, within(1e-4));
    }

    @Test
    void secretsManagerIsPricedPerTenThousandCalls() {
        Map<String, Double> cost = CostModel.US_EAST_1.perMillionJobs(new CostModel.Usage(0, 0, 0, 0, 0, 0, 0.01));

        // 0.01 calls per job = 10,000 calls per million jobs = $0.05.
        assertThat(cost.get("Secrets Manager")).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void gbSecondsCountAGigabyteAs1024Megabytes() {
        assertThat(CostModel.gbSeconds(2000, 512)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void s3CountsPutClassRequestsPerThousandAndStoragePerGbMonth() {
        // A 50 MiB video kept 30 days, copied in a multipart upload of 9 requests.
        Map<String, Double> cost = CostModel.US_EAST_1.perMillionJobs(new CostModel.Usage(0, 0, 0, 0, 0, 0, 0, 9,
                CostModel.gbMonths(50.0 * 1024 * 1024, 30)));

        assertThat(cost.get("S3 requests")).isCloseTo(45.0, within(1e-9));
        assertThat(cost.get("S3 storage")).isCloseTo(50.0 / 1024 * 30 / 30.4 * 0.023 * 1_000_000, within(1e-6));
    }
}
