package run.creativeai.gateway.tenant;

/** Writes key records; used by tenant administration, never by the request path. */
public interface KeyRegistry {
    void put(ApiKeyRecord record);
}
