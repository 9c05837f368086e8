package run.creativeai.gateway.testing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.training.TrainedModel;
import run.creativeai.gateway.training.TrainedModels;

/** Tenants' trained models in memory, keyed by tenant and id as the accounts table keeps them. */
public final class InMemoryTrainedModels implements TrainedModels {
    private final Map<String, TrainedModel> models = new ConcurrentHashMap<>();

    @Override
    public void record(TrainedModel model) {
        models.put(model.tenant().value() + "/" + model.id(), model);
    }

    @Override
    public Optional<TrainedModel> find(TenantId tenant, String id) {
        return Optional.ofNullable(models.get(tenant.value() + "/" + id));
    }

    @Override
    public List<TrainedModel> of(TenantId tenant) {
        return models.values().stream().filter(m -> m.tenant().equals(tenant))
                .sorted(Comparator.comparing(TrainedModel::createdAt)).toList();
    }
}
