package dev.fleetvault.gateway;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * DEVELOPMENT fleet directory: each node publishes its member's public keys to {@code
 * <data_root>/fleet/members/<id>.json} on start, so that the nodes of a local fleet (and the CLI)
 * learn each other's keys without a ceremony. Production fleets take these keys from the signed
 * fleet artifact instead. File format: {@code
 * {"id":"dc1","index":1,"client":"127.0.0.1:7401","hpke_public":"<base64 65-byte point>",
 * "signing_public":"<base64 SubjectPublicKeyInfo>"}}.
 */
public final class FleetDirectory {
  /** One member's published public keys. */
  public record Entry(
      String id, int index, String client, byte[] hpkePublic, PublicKey signingPublic) {}

  private final Path dir;

  /**
   * @param fleetDir {@code <data_root>/fleet}
   */
  public FleetDirectory(Path fleetDir) {
    this.dir = fleetDir.resolve("members");
  }

  /** Writes (atomically replaces) a member's entry. */
  public void publish(Entry e) throws IOException {
    Files.createDirectories(dir);
    JsonObject json =
        new JsonObject()
            .put("id", e.id())
            .put("index", e.index())
            .put("client", e.client())
            .put("hpke_public", Base64.getEncoder().encodeToString(e.hpkePublic()))
            .put(
                "signing_public",
                Base64.getEncoder().encodeToString(e.signingPublic().getEncoded()));
    Path tmp = dir.resolve(e.id() + ".json.tmp");
    Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dir.resolve(e.id() + ".json"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads a member's entry if published. */
  public Optional<Entry> read(String memberId) throws IOException {
    Path f = dir.resolve(memberId + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    JsonObject json = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
    try {
      PublicKey sign =
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new X509EncodedKeySpec(
                      Base64.getDecoder().decode(json.getString("signing_public"))));
      return Optional.of(
          new Entry(
              json.getString("id"),
              json.getInteger("index"),
              json.getString("client"),
              Base64.getDecoder().decode(json.getString("hpke_public")),
              sign));
    } catch (java.security.GeneralSecurityException | RuntimeException ex) {
      throw new IOException("corrupt fleet directory entry " + f + ": " + ex.getMessage(), ex);
    }
  }
}
