package run.creativeai.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final ModelCatalog models = ModelCatalog.defaults();

    private java.util.List<String> chain(String model) {
        return models.chainFor(models.find(model).orElseThrow()).links().stream().map(Model::id).toList();
    }

    @Test
    void theFailoverChainsAreTheSeeds() {
        assertThat(chain("kling")).containsExactly("kling", "seedance", "vidu");
        assertThat(chain("seedream")).containsExactly("seedream", "flux", "sdxl");
    }

    @Test
    void autoPicksTheFirstModelOfTheKind() {
        assertThat(models.resolve("auto", JobKind.IMAGE)).map(Model::id).contains("seedream");
        assertThat(models.resolve("auto", JobKind.VIDEO)).map(Model::id).contains("kling");
    }

    @Test
    void versionedNamesAreAliasesAndAModelOfTheOtherKindIsUnknown() {
        assertThat(models.resolve("kling-v2.0", JobKind.VIDEO)).map(Model::id).contains("kling");
        assertThat(models.resolve("SEEDREAM-V1.5", JobKind.IMAGE)).map(Model::id).contains("seedream");
        assertThat(models.resolve("kling", JobKind.IMAGE)).isEmpty();
    }
}
