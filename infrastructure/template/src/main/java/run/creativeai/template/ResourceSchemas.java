package run.creativeai.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * CloudFormation's resource schemas as the AWS CDK publishes them on npm
 * ({@code @aws-cdk/aws-service-spec}, {@code db.json.gz}): every {@code AWS::*} resource type with
 * its properties (type, required), its nested property types and its {@code Fn::GetAtt} attributes.
 */
public final class ResourceSchemas {
    private final Map<String, JsonNode> resources = new HashMap<>();
    private final Map<String, JsonNode> typeDefinitions = new HashMap<>();

    private ResourceSchemas(JsonNode db) {
        JsonNode schema = db.path("schema");
        for (JsonNode resource : schema.path("resource").path("entities")) {
            resources.put(resource.path("cloudFormationType").asText(), resource);
        }
        for (JsonNode type : schema.path("typeDefinition").path("entities")) {
            typeDefinitions.put(type.path("$id").asText(), type);
        }
        if (resources.isEmpty()) {
            throw new TemplateException("the resource specification holds no resource types");
        }
    }

    public static ResourceSchemas load(Path dbJsonGz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dbJsonGz))) {
            return new ResourceSchemas(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new TemplateException("cannot read the CloudFormation resource specification at " + dbJsonGz
                    + " (installed by 'npm ci' in infrastructure/template): " + e.getMessage());
        }
    }

    public Optional<JsonNode> resource(String cloudFormationType) {
        return Optional.ofNullable(resources.get(cloudFormationType));
    }

    JsonNode typeDefinition(String id) {
        JsonNode type = typeDefinitions.get(id);
        if (type == null) {
            throw new TemplateException("the resource specification refers to a missing type " + id);
        }
        return type;
    }

    public int resourceTypeCount() {
        return resources.size();
    }
}
