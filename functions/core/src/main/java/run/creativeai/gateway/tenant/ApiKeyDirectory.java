package run.creativeai.gateway.tenant;

import java.util.Optional;

/** Looks keys up by their keyed hash. */
public interface ApiKeyDirectory {
    Optional<ApiKeyRecord> findByHash(String keyHash);
}
