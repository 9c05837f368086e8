package run.creativeai.gateway.model;

import java.util.List;
import java.util.Optional;

/** The links a job walks, first to last, until one serves it: the requested model, then its failovers. */
public record FailoverChain(List<Model> links) {

    public FailoverChain {
        links = List.copyOf(links);
        if (links.isEmpty()) {
            throw new IllegalArgumentException("a failover chain has at least one link");
        }
    }

    /**
     * The links that can do {@code operation}, in order: a link that cannot is never asked. Empty
     * when none can (a model the catalogue no longer lets do it).
     */
    public java.util.Optional<FailoverChain> capableOf(Operation operation) {
        List<Model> capable = links.stream().filter(m -> m.supports(operation)).toList();
        return capable.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new FailoverChain(capable));
    }

    public Model first() {
        return links.get(0);
    }

    /** The link after the one serving {@code model}, if the chain has one. */
    public Optional<Model> after(String model) {
        for (int i = 0; i < links.size() - 1; i++) {
            if (links.get(i).id().equals(model)) {
                return Optional.of(links.get(i + 1));
            }
        }
        return Optional.empty();
    }
}
