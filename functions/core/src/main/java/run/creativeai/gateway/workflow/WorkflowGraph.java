package run.creativeai.gateway.workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.JobKind;

/**
 * The rules of a workflow's shape, checked whole before anything of it is admitted: at most
 * {@link #MAX_STEPS} steps with distinct ids, each reference naming another step of the workflow that
 * makes an image (every input a step takes is an image) with at least as many outputs as the index
 * asks for, and no cycle. Each problem names the step (by index) and the field.
 */
public final class WorkflowGraph {
    /** The most steps a workflow may have (documented in the README's API section). */
    public static final int MAX_STEPS = 10;

    private WorkflowGraph() {
    }

    /**
     * A step as the graph sees it.
     *
     * @param references each input field that names an earlier step's output, with the reference
     * @param makes      the kind of output its operation makes
     * @param outputs    how many outputs it makes
     */
    public record Node(String id, Map<String, MediaSource.StepOutput> references, JobKind makes, int outputs) {
        public Node {
            Objects.requireNonNull(id, "id");
            references = Map.copyOf(references);
            Objects.requireNonNull(makes, "makes");
        }
    }

    /** What is wrong, at {@code steps[index].field}. */
    public record Problem(int index, String field, String message) {
    }

    /** The first problem of the graph, in step order; empty when the graph is a valid workflow. */
    public static Optional<Problem> problem(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return Optional.of(new Problem(-1, "steps", "a workflow has at least one step"));
        }
        if (nodes.size() > MAX_STEPS) {
            return Optional.of(new Problem(-1, "steps", "a workflow has at most " + MAX_STEPS + " steps, not "
                    + nodes.size()));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Integer first = index.putIfAbsent(nodes.get(i).id(), i);
            if (first != null) {
                return Optional.of(new Problem(i, "id", "step id '" + nodes.get(i).id() + "' is already the id of steps["
                        + first + "]; step ids must be unique"));
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            for (Map.Entry<String, MediaSource.StepOutput> ref : new java.util.TreeMap<>(node.references()).entrySet()) {
                String target = ref.getValue().step();
                String field = ref.getKey();
                if (target.equals(node.id())) {
                    return Optional.of(new Problem(i, field, field + " refers to step '" + target
                            + "' itself; a step can only take another step's outputs"));
                }
                Integer at = index.get(target);
                if (at == null) {
                    return Optional.of(new Problem(i, field, field + " refers to step '" + target
                            + "', which is not a step of this workflow"));
                }
                Node source = nodes.get(at);
                if (source.makes() != JobKind.IMAGE) {
                    return Optional.of(new Problem(i, field, field + " takes an image, but step '" + target + "' makes a "
                            + source.makes().wireName()));
                }
                if (ref.getValue().index() >= source.outputs()) {
                    return Optional.of(new Problem(i, field, field + " refers to " + ref.getValue().wire() + ", but step '"
                            + target + "' makes " + source.outputs() + (source.outputs() == 1 ? " output" : " outputs")
                            + " (outputs count from 0)"));
                }
            }
        }
        return cycle(nodes, index);
    }

    /** A cycle of references, reported at the first step (in order) that lies on one. */
    private static Optional<Problem> cycle(List<Node> nodes, Map<String, Integer> index) {
        int[] state = new int[nodes.size()]; // 0 unseen, 1 on the current path, 2 done
        for (int i = 0; i < nodes.size(); i++) {
            List<Integer> path = new ArrayList<>();
            Optional<List<Integer>> found = visit(i, nodes, index, state, path);
            if (found.isPresent()) {
                List<Integer> loop = found.get();
                int first = loop.stream().min(Integer::compare).orElseThrow();
                Node at = nodes.get(first);
                int next = loop.get((loop.indexOf(first) + 1) % loop.size());
                String field = new java.util.TreeMap<>(at.references()).entrySet().stream()
                        .filter(e -> e.getValue().step().equals(nodes.get(next).id())).map(Map.Entry::getKey)
                        .findFirst().orElse("steps");
                List<String> names = new ArrayList<>();
                int start = loop.indexOf(first);
                for (int k = 0; k <= loop.size(); k++) {
                    names.add(nodes.get(loop.get((start + k) % loop.size())).id());
                }
                return Optional.of(new Problem(first, field, "steps take each other's outputs in a cycle: "
                        + String.join(" -> ", names) + "; a workflow must be acyclic"));
            }
        }
        return Optional.empty();
    }

    /** Depth-first walk along the references; the steps of a cycle, in the order each takes the next's outputs. */
    private static Optional<List<Integer>> visit(int i, List<Node> nodes, Map<String, Integer> index, int[] state,
            List<Integer> path) {
        if (state[i] == 2) {
            return Optional.empty();
        }
        if (state[i] == 1) {
            return Optional.of(new ArrayList<>(path.subList(path.indexOf(i), path.size())));
        }
        state[i] = 1;
        path.add(i);
        for (MediaSource.StepOutput ref : new java.util.TreeMap<>(nodes.get(i).references()).values()) {
            Optional<List<Integer>> found = visit(index.get(ref.step()), nodes, index, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state[i] = 2;
        return Optional.empty();
    }

    /** The steps in an order where each comes after every step whose outputs it takes (the graph is valid). */
    public static List<String> order(List<Node> nodes) {
        Map<String, Node> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        List<String> order = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        while (order.size() < nodes.size()) {
            int before = order.size();
            for (Node n : nodes) {
                if (!done.contains(n.id()) && n.references().values().stream().allMatch(r -> done.contains(r.step()))) {
                    order.add(n.id());
                    done.add(n.id());
                }
            }
            if (order.size() == before) {
                throw new IllegalArgumentException("the steps form a cycle");
            }
        }
        return order;
    }
}
