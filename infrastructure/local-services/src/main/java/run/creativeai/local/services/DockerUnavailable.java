package run.creativeai.local.services;

/** The LocalStack backend was asked for on a machine without a Docker engine. */
public final class DockerUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DockerUnavailable() {
        super("the localstack backend needs a Docker engine, and none is reachable here");
    }
}
