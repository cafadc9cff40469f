package dev.fleetvault.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed JSON Schema ({@code config/fleetvault-node.schema.json}) is the one the parser
 * generates from the shipped example configurations (plus a peer_tls section); a parser change that
 * adds or changes a key fails here until the schema is regenerated.
 */
class ConfigSchemaTest {

  private static Path root() {
    return Path.of(System.getProperty("fleetvault.root", "..")).toAbsolutePath().normalize();
  }

  /** The shipped examples, and local.yaml with a peer_tls section (needs readable files). */
  static List<Path> examples() throws Exception {
    Path config = root().resolve("config");
    Path dir =
        Path.of(System.getProperty("fleetvault.buildDir", "target")).resolve("config-schema");
    Files.createDirectories(dir);
    for (String f :
        new String[] {"dev-app-jwt.DEVELOPMENT-ONLY.pub.pem", "ca.pem", "dc1.pem", "dc1.key.pem"}) {
      Path src = config.resolve(f);
      Files.writeString(
          dir.resolve(f), Files.exists(src) ? Files.readString(src) : "placeholder\n");
    }
    Path withTls = dir.resolve("with-peer-tls.yaml");
    Files.writeString(
        withTls,
        Files.readString(config.resolve("local.yaml"))
            .replace(
                "  - member: dc1\n",
                "  - member: dc1\n    peer_tls:\n      ca_cert: ca.pem\n      cert: dc1.pem\n      key: dc1.key.pem\n"));
    return List.of(
        config.resolve("local.yaml"),
        config.resolve("softhsm-3dc/dc1.yaml"),
        config.resolve("kmip-3dc/node-dc1.yaml"),
        withTls);
  }

  @Test
  void generate_shippedExamples_matchesCommittedSchema() throws Exception {
    String generated = ConfigSchema.generate(examples());
    Path committed = root().resolve("config/fleetvault-node.schema.json");
    Path fresh =
        Path.of(System.getProperty("fleetvault.buildDir", "target"))
            .resolve("fleetvault-node.schema.json");
    Files.writeString(fresh, generated, StandardCharsets.UTF_8);
    assertThat(Files.exists(committed) ? Files.readString(committed) : "")
        .as("config/fleetvault-node.schema.json is stale: copy " + fresh + " over it")
        .isEqualTo(generated);
  }

  @Test
  void generate_schema_describesKeysTypesAndStrictness() throws Exception {
    JsonObject s = new JsonObject(ConfigSchema.generate(examples()));
    assertThat(s.getBoolean("additionalProperties")).isFalse();
    assertThat(s.getJsonArray("required").getList()).contains("fleet", "apps", "nodes");
    JsonObject member =
        s.getJsonObject("properties")
            .getJsonObject("fleet")
            .getJsonObject("properties")
            .getJsonObject("members")
            .getJsonObject("items");
    assertThat(member.getJsonArray("required").getList())
        .contains("id", "client", "peer", "raft", "cluster")
        .doesNotContain("admin", "data_center");
    assertThat(member.getJsonObject("properties").getJsonObject("admin").getString("pattern"))
        .isNotBlank();
    JsonObject limits =
        s.getJsonObject("properties").getJsonObject("limits").getJsonObject("properties");
    assertThat(limits.getJsonObject("max_message_bytes").getLong("minimum")).isEqualTo(1024L);
    JsonObject node =
        s.getJsonObject("properties")
            .getJsonObject("nodes")
            .getJsonObject("items")
            .getJsonObject("properties");
    assertThat(node.getJsonObject("peer_tls").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrder("ca_cert", "cert", "key");
    assertThat(
            node.getJsonObject("hsm")
                .getJsonObject("properties")
                .getJsonObject("settings")
                .getString("type"))
        .isEqualTo("object");
  }
}
