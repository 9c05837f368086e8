package run.creativeai.gateway.job;

import java.util.Optional;

/**
 * One generated artefact, as the provider reported it: where the provider serves it, for as long as
 * the provider keeps it. The dispatcher copies it into the gateway's own bucket before the job
 * succeeds; only jobs that ended before that copy existed keep it as their output.
 */
public record Output(String url, String contentType, Optional<Integer> width, Optional<Integer> height)
        implements JobOutput {
    public static Output of(String url, String contentType) {
        return new Output(url, contentType, Optional.empty(), Optional.empty());
    }
}
