package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.training.TrainedModel;

/** Tenants' trained models in DynamoDB Local: found and listed under their own tenant only, written once. */
@ExtendWith(AwsServices.class)
class DynamoDbTrainedModelsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    private static DynamoDbTrainedModels models;

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        models = new DynamoDbTrainedModels(aws.newDynamoDb(), aws.newTable(AccountItems.PK, AccountItems.SK));
    }

    private static TenantId tenant() {
        return new TenantId("train-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static TrainedModel model(TenantId tenant, String suffix, int minute) {
        return new TrainedModel("ft_01hz00000000000000000000" + suffix, tenant, "flux", "sks",
                "trained-models/gen_01hz00000000000000000000" + suffix + "/1/0.safetensors",
                new JobId("gen_01hz00000000000000000000" + suffix), T0.plusSeconds(60L * minute));
    }

    @Test
    void aModelIsFoundUnderItsTenantAndUnderNoOther() {
        TenantId owner = tenant();
        TrainedModel model = model(owner, "aa", 0);
        models.record(model);
        assertThat(models.find(owner, model.id())).contains(model);
        assertThat(models.find(tenant(), model.id())).isEmpty();
        assertThat(models.of(tenant())).isEmpty();
    }

    @Test
    void aTenantsModelsAreListedOldestFirstAndRecordingOneAgainAddsNothing() {
        TenantId owner = tenant();
        TrainedModel later = model(owner, "bb", 5);
        TrainedModel earlier = model(owner, "cc", 1);
        models.record(later);
        models.record(earlier);
        models.record(later);
        assertThat(models.of(owner)).containsExactly(earlier, later);
    }
}
