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
