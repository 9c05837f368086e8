package run.creativeai.gateway.status;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;

/**
 * The components the status page reports on, in the order it shows them: the API, webhook
 * delivery, the job queues, then every model of the catalogue by kind and name (each served by its
 * provider).
 */
public final class StatusCatalog {
    private final Map<ComponentId, StatusComponent> components = new LinkedHashMap<>();
    private final ModelCatalog models;

    public StatusCatalog(ModelCatalog models) {
        this.models = models;
        add(new StatusComponent(ComponentId.API, "API", "service", Optional.empty()));
        add(new StatusComponent(ComponentId.WEBHOOKS, "Webhook delivery", "service", Optional.empty()));
        add(new StatusComponent(ComponentId.QUEUES, "Job queues", "service", Optional.empty()));
        for (Model model : models.all().stream().sorted(Comparator.comparing((Model m) -> m.kind().ordinal())
                .thenComparing(Model::id)).toList()) {
            add(new StatusComponent(new ComponentId(model.id()), model.id(), model.kind().wireName(),
                    Optional.of(model.provider())));
        }
    }

    private void add(StatusComponent component) {
        components.put(component.id(), component);
    }

    public List<StatusComponent> all() {
        return List.copyOf(components.values());
    }

    public Optional<StatusComponent> find(String id) {
        try {
            return Optional.ofNullable(components.get(new ComponentId(id)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public ModelCatalog models() {
        return models;
    }

    /** The models served by {@code provider}: the components its outage takes down. */
    public List<ComponentId> servedBy(String provider) {
        List<ComponentId> served = new ArrayList<>();
        components.values().stream().filter(c -> c.provider().filter(provider::equals).isPresent())
                .forEach(c -> served.add(c.id()));
        return served;
    }

    /**
     * The components named, in the page's order, or why they cannot be: none named, or some unknown
     * (each named, with the ids that exist).
     */
    public Selection select(Collection<String> ids) {
        if (ids.isEmpty()) {
            return new Selection.Refused("name at least one component: " + String.join(", ", idNames()));
        }
        List<String> unknown = ids.stream().filter(id -> find(id).isEmpty()).distinct().toList();
        if (!unknown.isEmpty()) {
            return new Selection.Refused("unknown component" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(StatusCatalog::clip).toList()) + "; the components are "
                    + String.join(", ", idNames()));
        }
        List<ComponentId> chosen = components.keySet().stream().filter(id -> ids.contains(id.value())).toList();
        return new Selection.Chosen(chosen);
    }

    private List<String> idNames() {
        return components.keySet().stream().map(ComponentId::value).toList();
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Components chosen by id. */
    public sealed interface Selection permits Selection.Chosen, Selection.Refused {
        record Chosen(List<ComponentId> components) implements Selection {
        }

        record Refused(String reason) implements Selection {
        }
    }
}
