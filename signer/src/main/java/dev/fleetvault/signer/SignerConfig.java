package dev.fleetvault.signer;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.signer.impl.StrictYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The signer's configuration, read strictly from YAML (unknown or duplicate keys are errors):
 *
 * <pre>
 * listen: {host: 127.0.0.1, port: 37100}      # port 0 = any free port
 * data_dir: signer-data                        # relative to this file's directory
 * origin: fleetvault.local/signer              # log origin = note key name of the signer key
 * namespaces: [fleetvault.fleet_keys.v1]
 * key_label: fleetvault-signer.ed25519         # generated inside the HSM on first start
 * hsm:                                         # driver SPI section (see drivers/README.md)
 *   driver: soft
 *   allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]
 *   settings: {key_file: signer-data/signer.softkeys, passphrase_file: signer.pass}
 * operator:
 *   public_key_file: operator.pub              # PEM or base64 X.509 SPKI of the operator's P-256 key
 * witnesses: []                                # vkeys (type 0x04) allowed to add cosignatures
 * transparency_dir: transparency               # optional: static transparency site served at /transparency/
 * admin: {host: 127.0.0.1, port: 37190}        # optional: /metrics /healthz /readyz, off the API port
 * </pre>
 *
 * Operator authentication: every publish request must carry an ECDSA P-256 signature by the
 * operator key over {@code "fleetvault/publish/v1\n" || body}; the same key's counter-signatures
 * are checked when the operator attaches the artifact.
 *
 * @param host listen address
 * @param port listen port (0 = ephemeral)
 * @param dataDir data directory (absolute)
 * @param origin log origin
 * @param namespaces namespaces accepted for publishing
 * @param keyLabel HSM key label of the Ed25519 signer key
 * @param hsm the raw {@code hsm:} section
 * @param baseDir the config file's directory
 * @param operatorKey the operator's P-256 public key
 * @param witnesses witness cosigner keys
 * @param sourceName the config file name
 * @param transparencyDir directory of the static transparency site (absolute), or null when none is
 *     served
 * @param admin the admin listener ({@code /metrics}, {@code /healthz}, {@code /readyz}), or null
 *     when none is configured
 */
public record SignerConfig(
    String host,
    int port,
    Path dataDir,
    String origin,
    List<String> namespaces,
    String keyLabel,
    Map<String, Object> hsm,
    Path baseDir,
    ECPublicKey operatorKey,
    List<NoteKey> witnesses,
    String sourceName,
    Path transparencyDir,
    Admin admin) {

  /**
   * The admin listener's address: its own host and port, never the API's.
   *
   * @param host listen address
   * @param port listen port (0 = ephemeral)
   */
  public record Admin(String host, int port) {}

  /** Loads and validates a config file. */
  public static SignerConfig load(Path file) throws IOException {
    StrictYaml y = StrictYaml.load(file);
    y.rejectUnknown(
        "listen",
        "data_dir",
        "origin",
        "namespaces",
        "key_label",
        "hsm",
        "operator",
        "witnesses",
        "transparency_dir",
        "admin");
    Path base = file.toAbsolutePath().getParent();
    StrictYaml listen = y.section("listen");
    listen.rejectUnknown("host", "port");
    String host = listen.string("host");
    int port = listen.integer("port", 0, 65535);
    Path data = base.resolve(y.string("data_dir")).normalize();
    String origin = y.string("origin");
    try {
      new NoteKey(origin, NoteKey.TYPE_ED25519, new byte[32]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": origin: " + e.getMessage());
    }
    List<String> ns = y.stringList("namespaces");
    if (ns.isEmpty()) {
      ns = List.of(FleetArtifact.NAMESPACE);
    }
    for (String n : ns) {
      if (!n.matches("[a-z0-9._-]{1,255}")) {
        throw new IllegalArgumentException(file + ": namespaces: invalid namespace " + n);
      }
    }
    StrictYaml op = y.section("operator");
    op.rejectUnknown("public_key_file");
    ECPublicKey opKey =
        readP256(base.resolve(op.string("public_key_file")), file + ": operator.public_key_file");
    List<NoteKey> ws = new ArrayList<>();
    for (String v : y.stringList("witnesses")) {
      NoteKey k;
      try {
        k = NoteKey.parseVkey(v);
      } catch (dev.fleetvault.bundles.FormatException e) {
        throw new IllegalArgumentException(file + ": witnesses: " + e.getMessage(), e);
      }
      if (k.type() != NoteKey.TYPE_COSIGNATURE_V1) {
        throw new IllegalArgumentException(
            file + ": witnesses: " + v + " is not a cosignature/v1 (0x04) key");
      }
      ws.add(k);
    }
    return new SignerConfig(
        host,
        port,
        data,
        origin,
        List.copyOf(ns),
        y.string("key_label"),
        y.section("hsm").raw(),
        base,
        opKey,
        List.copyOf(ws),
        file.toString(),
        y.has("transparency_dir") ? base.resolve(y.string("transparency_dir")).normalize() : null,
        admin(y, file, host, port));
  }

  /** The optional {@code admin:} section; refused when it is the API's own address and port. */
  private static Admin admin(StrictYaml y, Path file, String apiHost, int apiPort) {
    if (!y.has("admin")) {
      return null;
    }
    StrictYaml a = y.section("admin");
    a.rejectUnknown("host", "port");
    Admin admin = new Admin(a.string("host"), a.integer("port", 0, 65535));
    if (admin.port() != 0 && admin.port() == apiPort && admin.host().equals(apiHost)) {
      throw new IllegalArgumentException(
          file
              + ": admin: "
              + apiHost
              + ":"
              + apiPort
              + " is the API's address; give its own port");
    }
    return admin;
  }

  /** Reads a P-256 public key file: PEM ("PUBLIC KEY") or bare base64 of the X.509 SPKI. */
  public static ECPublicKey readP256(Path f, String what) throws IOException {
    String s =
        Files.readString(f, StandardCharsets.US_ASCII)
            .replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    try {
      return Crypto.p256FromSpki(Base64.getDecoder().decode(s));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          what + ": " + f + " is not a P-256 public key (PEM or base64 SPKI)");
    }
  }

  /** Writes a P-256 public key as PEM. */
  public static void writePem(Path f, java.security.PublicKey k) throws IOException {
    String b64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(k.getEncoded());
    Files.writeString(
        f,
        "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n",
        StandardCharsets.US_ASCII);
  }
}
