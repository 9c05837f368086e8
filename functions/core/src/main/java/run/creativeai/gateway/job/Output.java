package run.creativeai.gateway.job;

import java.util.Optional;

/** One generated artefact, as the provider reported it. */
public record Output(String url, String contentType, Optional<Integer> width, Optional<Integer> height) {
    public static Output of(String url, String contentType) {
        return new Output(url, contentType, Optional.empty(), Optional.empty());
    }
}
