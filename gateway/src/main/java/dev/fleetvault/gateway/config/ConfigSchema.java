package dev.fleetvault.gateway.config;

import dev.fleetvault.config.yaml.KeyRecorder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON Schema (draft 2020-12) of the node configuration from the parser itself: it loads
 * example files with {@link KeyRecorder} on, so every key the parser reads — with its type, whether
 * it is required, integer bounds and defaults — becomes a property, and every mapping refuses other
 * keys ({@code additionalProperties: false}), as the parser does. Keys read only inside an optional
 * section appear when an example has that section. The committed schema ({@code
 * config/fleetvault-node.schema.json}) is checked against this output by a test, so it follows the
 * parser. The schema describes shape only: the parser's cross-checks (odd member count, distinct
 * ports, files readable) are not expressible in it.
 */
public final class ConfigSchema {
  private ConfigSchema() {}

  /** The schema, as pretty JSON ending in a newline, from loading each of {@code examples}. */
  public static String generate(List<Path> examples) {
    KeyRecorder recorder = KeyRecorder.start();
    try {
      for (Path p : examples) {
        NodeConfig.load(p);
      }
      JsonObject root = object(recorder.keys(), "");
      JsonObject schema =
          new JsonObject()
              .put("$schema", "https://json-schema.org/draft/2020-12/schema")
              .put("title", "Fleetvault node configuration")
              .put(
                  "description",
                  "Generated from the configuration parser (ConfigSchema); see config/README.md.");
      root.forEach(e -> schema.put(e.getKey(), e.getValue()));
      return schema.encodePrettily() + "\n";
    } finally {
      KeyRecorder.stop();
    }
  }

  private static JsonObject object(Map<String, Map<String, KeyRecorder.Key>> all, String path) {
    JsonObject props = new JsonObject();
    JsonArray required = new JsonArray();
    Map<String, KeyRecorder.Key> keys = all.getOrDefault(path, Map.of());
    for (Map.Entry<String, KeyRecorder.Key> e : keys.entrySet()) {
      String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      props.put(e.getKey(), property(all, child, e.getValue()));
      if (e.getValue().required()) {
        required.add(e.getKey());
      }
    }
    JsonObject o = new JsonObject().put("type", "object").put("properties", props);
    if (!required.isEmpty()) {
      o.put("required", required);
    }
    return o.put("additionalProperties", false);
  }

  private static JsonObject property(
      Map<String, Map<String, KeyRecorder.Key>> all, String path, KeyRecorder.Key k) {
    JsonObject p =
        switch (k.kind()) {
          case STRING -> new JsonObject().put("type", "string");
          case INTEGER ->
              new JsonObject()
                  .put("type", "integer")
                  .put("minimum", k.min())
                  .put("maximum", k.max());
          case BOOLEAN -> new JsonObject().put("type", "boolean");
          case HOST_PORT ->
              new JsonObject().put("type", "string").put("pattern", "^[^\\s]+:[0-9]{1,5}$");
          case MAP -> object(all, path);
          case MAPS ->
              new JsonObject()
                  .put("type", "array")
                  .put("minItems", 1)
                  .put("items", object(all, path + "[]"));
          case STRINGS ->
              new JsonObject()
                  .put("type", "array")
                  .put("items", new JsonObject().put("type", "string"));
          case SCALARS ->
              new JsonObject()
                  .put("type", "object")
                  .put(
                      "additionalProperties",
                      new JsonObject()
                          .put(
                              "type", new JsonArray().add("string").add("integer").add("boolean")));
        };
    if (k.dflt() != null) {
      p.put("default", k.dflt());
    }
    return p;
  }
}
