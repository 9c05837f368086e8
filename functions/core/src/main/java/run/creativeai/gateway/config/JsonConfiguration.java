package run.creativeai.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import run.creativeai.gateway.json.Json;

/** Reads a piece of configuration written as a JSON object, refusing anything else in its own words. */
public final class JsonConfiguration {
    private JsonConfiguration() {
    }

    /**
     * @param what how the message names the configuration ({@code prices.json}, {@code custom limits})
     * @throws ConfigurationException when {@code json} is not a JSON object
     */
    public static JsonNode object(String json, String what) {
        JsonNode node;
        try {
            node = Json.tree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ConfigurationException(what + " must be a JSON object");
        }
        return node;
    }
}
