package run.creativeai.gateway.job;

/** Told once a provider has accepted a job and that is stored, so a customer who asked hears about it. */
@FunctionalInterface
public interface JobStarts {
    void started(Job job);
}
