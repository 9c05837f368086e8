package run.creativeai.gateway.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.JobKind;

class WorkflowGraphTest {

    private static WorkflowGraph.Node image(String id, Map<String, MediaSource.StepOutput> refs) {
        return new WorkflowGraph.Node(id, refs, JobKind.IMAGE, 1);
    }

    private static Map<String, MediaSource.StepOutput> takes(String step) {
        return Map.of("image", new MediaSource.StepOutput(step, 0));
    }

    @Test
    void aStillMadeIntoAClipIsValidAndRunsTheStillFirst() {
        List<WorkflowGraph.Node> nodes = List.of(
                new WorkflowGraph.Node("clip", takes("still"), JobKind.VIDEO, 1), image("still", Map.of()));
        assertThat(WorkflowGraph.problem(nodes)).isEmpty();
        assertThat(WorkflowGraph.order(nodes)).containsExactly("still", "clip");
    }

    @Test
    void aReferenceToAStepThatIsNotThereNamesTheStepAndField() {
        assertThat(WorkflowGraph.problem(List.of(image("a", Map.of()), image("b", takes("c")))))
                .contains(new WorkflowGraph.Problem(1, "image", "image refers to step 'c', which is not a step of this workflow"));
    }

    @Test
    void aStepTakingItsOwnOutputIsRefused() {
        assertThat(WorkflowGraph.problem(List.of(image("a", takes("a"))))).hasValueSatisfying(p -> {
            assertThat(p.index()).isZero();
            assertThat(p.field()).isEqualTo("image");
            assertThat(p.message()).contains("itself");
        });
    }

    @Test
    void twoStepsWithOneIdAreRefusedAtTheSecond() {
        assertThat(WorkflowGraph.problem(List.of(image("a", Map.of()), image("a", Map.of()))))
                .hasValueSatisfying(p -> assertThat(p).extracting("index", "field").containsExactly(1, "id"));
    }

    @Test
    void aCycleIsRefusedAtItsFirstStepNamingTheLoop() {
        Optional<WorkflowGraph.Problem> problem = WorkflowGraph.problem(List.of(image("root", Map.of()),
                image("a", takes("c")), image("b", takes("a")), image("c", takes("b"))));
        assertThat(problem).hasValueSatisfying(p -> {
            assertThat(p.index()).isEqualTo(1);
            assertThat(p.field()).isEqualTo("image");
            assertThat(p.message()).contains("a -> c -> b -> a");
        });
    }

    @Test
    void aVideoCannotBeAnotherStepsImage() {
        assertThat(WorkflowGraph.problem(List.of(new WorkflowGraph.Node("clip", Map.of(), JobKind.VIDEO, 1),
                image("still", takes("clip"))))).hasValueSatisfying(p -> assertThat(p.message())
                        .isEqualTo("image takes an image, but step 'clip' makes a video"));
    }

    @Test
    void anOutputIndexBeyondWhatTheStepMakesIsRefused() {
        Map<String, MediaSource.StepOutput> third = Map.of("image", new MediaSource.StepOutput("four", 4));
        assertThat(WorkflowGraph.problem(List.of(new WorkflowGraph.Node("four", Map.of(), JobKind.IMAGE, 4),
                image("up", third)))).hasValueSatisfying(p -> assertThat(p.message()).contains("makes 4 outputs"));
    }

    @Test
    void moreStepsThanTheMaximumAreRefused() {
        List<WorkflowGraph.Node> nodes = new ArrayList<>();
        for (int i = 0; i <= WorkflowGraph.MAX_STEPS; i++) {
            nodes.add(image("s" + i, Map.of()));
        }
        assertThat(WorkflowGraph.problem(nodes)).hasValueSatisfying(p -> assertThat(p.field()).isEqualTo("steps"));
        assertThat(WorkflowGraph.problem(nodes.subList(0, WorkflowGraph.MAX_STEPS))).isEmpty();
    }

    /**
     * Any graph whose steps take only from steps before them in some order is valid, and its order
     * puts every step after those it takes from; one more reference from the first step in that order
     * to the last makes a cycle, which is refused.
     */
    @Property(tries = 300)
    void everyAcyclicGraphIsValidInDependencyOrderAndOneBackEdgeMakesItACycle(
            @ForAll @IntRange(min = 2, max = WorkflowGraph.MAX_STEPS) int size, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add("s" + i);
        }
        java.util.Collections.shuffle(ids, random);
        // ids.get(i) may take from ids.get(j) for j < i only: acyclic by construction.
        Map<String, Map<String, MediaSource.StepOutput>> refs = new HashMap<>();
        for (int i = 0; i < size; i++) {
            Map<String, MediaSource.StepOutput> r = new HashMap<>();
            if (i > 0 && random.nextBoolean()) {
                r.put("image", new MediaSource.StepOutput(ids.get(random.nextInt(i)), 0));
            }
            if (i > 0 && random.nextBoolean()) {
                r.put("mask", new MediaSource.StepOutput(ids.get(random.nextInt(i)), 0));
            }
            refs.put(ids.get(i), r);
        }
        List<WorkflowGraph.Node> nodes = new ArrayList<>();
        List<String> listed = new ArrayList<>(ids);
        java.util.Collections.shuffle(listed, random);
        listed.forEach(id -> nodes.add(image(id, refs.get(id))));

        assertThat(WorkflowGraph.problem(nodes)).isEmpty();
        List<String> order = WorkflowGraph.order(nodes);
        for (WorkflowGraph.Node node : nodes) {
            node.references().values().forEach(r -> assertThat(order.indexOf(r.step())).isLessThan(order.indexOf(node.id())));
        }

        // Each step takes from the one before it in construction order, and the first from the last: a cycle.
        List<WorkflowGraph.Node> cyclic = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = ids.get(i);
            Map<String, MediaSource.StepOutput> r = new HashMap<>(refs.get(id));
            r.put("mask", new MediaSource.StepOutput(ids.get(i == 0 ? size - 1 : i - 1), 0));
            cyclic.add(image(id, r));
        }
        assertThat(WorkflowGraph.problem(cyclic)).hasValueSatisfying(p -> assertThat(p.message()).contains("cycle"));
    }
}
