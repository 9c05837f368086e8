package run.creativeai.gateway.training;

import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.tenant.TenantId;

/** Where tenants' trained models are kept: durable, and found only under their own tenant. */
public interface TrainedModels {

    /** Keeps the model; recording the same one again changes nothing. */
    void record(TrainedModel model);

    /** The tenant's model of that id; empty for an unknown id and for another tenant's model alike. */
    Optional<TrainedModel> find(TenantId tenant, String id);

    /** Every model of the tenant's, oldest first. */
    List<TrainedModel> of(TenantId tenant);
}
