package dev.fleetvault.signer;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.config.yaml.StrictYaml;
import dev.fleetvault.config.yaml.YamlMap;
import dev.fleetvault.driver.spi.HsmSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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
 * limits:                                      # optional
 *   max_connections_per_address: 64            # open connections one remote IP may hold (1..100000)
 * admin: {host: 127.0.0.1, port: 37190}        # optional: /metrics /healthz /readyz, off the API port
 * </pre>
 *
 * The file is read through the strict YAML layer ({@link StrictYaml}, {@link YamlMap}): duplicate
 * and unknown keys, wrong types and integers in a form other than plain decimal are refused with
 * {@code file:line} and the key; the {@code hsm:} section is read by {@link
 * HsmSection#readKeyOnly}.
 *
 * <p>Operator authentication: every publish request must carry an ECDSA P-256 signature by the
 * operator key over {@code "fleetvault/publish/v1\n" || body}; the same key's counter-signatures
 * are checked when the operator attaches the artifact.
 *
 * @param host listen address
 * @param port listen port (0 = ephemeral)
 * @param dataDir data directory (absolute)
 * @param origin log origin
 * @param namespaces namespaces accepted for publishing
 * @param keyLabel HSM key label of the Ed25519 signer key
 * @param hsm the {@code hsm:} section
 * @param baseDir the config file's directory
 * @param operatorKey the operator's P-256 public key
 * @param witnesses witness cosigner keys
 * @param sourceName the config file name
 * @param transparencyDir directory of the static transparency site (absolute), or null when none is
 *     served
 * @param maxConnectionsPerAddress open connections one remote IP address may hold on the API
 *     ({@code limits.max_connections_per_address}, default {@link
 *     #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS})
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
    HsmSection hsm,
    Path baseDir,
    ECPublicKey operatorKey,
    List<NoteKey> witnesses,
    String sourceName,
    Path transparencyDir,
    int maxConnectionsPerAddress,
    Admin admin) {

  /**
   * The admin listener's address: its own host and port, never the API's.
   *
   * @param host listen address
   * @param port listen port (0 = ephemeral)
   */
  public record Admin(String host, int port) {}

  /** {@code limits.max_connections_per_address} when absent. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;

  /**
   * Loads and validates a config file.
   *
   * @throws IOException if a file the configuration names cannot be read
   * @throws IllegalArgumentException if the configuration is invalid (a {@link ConfigException}'s
   *     message: file, line, key and what is wrong)
   */
  public static SignerConfig load(Path file) throws IOException {
    try {
      return parse(file);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static SignerConfig parse(Path file) throws IOException {
    YamlMap y = StrictYaml.parse(file);
    Path base = file.toAbsolutePath().getParent();
    YamlMap listen = y.map("listen");
    String host = nonEmpty(listen, "host");
    int port = listen.integer("port", 0, 65535);
    listen.finish();
    Path data = base.resolve(nonEmpty(y, "data_dir")).normalize();
    String origin = nonEmpty(y, "origin");
    try {
      new NoteKey(origin, NoteKey.TYPE_ED25519, new byte[32]);
    } catch (RuntimeException e) {
      throw y.errorAt("origin", e.getMessage());
    }
    List<String> ns = y.strings("namespaces");
    if (ns.isEmpty()) {
      ns = List.of(FleetArtifact.NAMESPACE);
    }
    for (String n : ns) {
      if (!n.matches("[a-z0-9._-]{1,255}")) {
        throw y.errorAt("namespaces", "invalid namespace " + n);
      }
    }
    String keyLabel = nonEmpty(y, "key_label");
    YamlMap h = y.map("hsm");
    HsmSection hsm = HsmSection.readKeyOnly(h);
    h.finish();
    YamlMap op = y.map("operator");
    String opFile = nonEmpty(op, "public_key_file");
    op.finish();
    ECPublicKey opKey = readP256(base.resolve(opFile), file + ": operator.public_key_file");
    List<NoteKey> ws = new ArrayList<>();
    for (String v : y.strings("witnesses")) {
      NoteKey k;
      try {
        k = NoteKey.parseVkey(v);
      } catch (dev.fleetvault.bundles.FormatException e) {
        throw y.errorAt("witnesses", e.getMessage());
      }
      if (k.type() != NoteKey.TYPE_COSIGNATURE_V1) {
        throw y.errorAt("witnesses", v + " is not a cosignature/v1 (0x04) key");
      }
      ws.add(k);
    }
    String transparency = y.string("transparency_dir", null);
    int maxConnections = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    YamlMap limits = y.mapOrNull("limits");
    if (limits != null) {
      maxConnections =
          limits.integer(
              "max_connections_per_address", DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1, 100_000);
      limits.finish();
    }
    Admin admin = admin(y, host, port);
    y.finish();
    return new SignerConfig(
        host,
        port,
        data,
        origin,
        List.copyOf(ns),
        keyLabel,
        hsm,
        base,
        opKey,
        List.copyOf(ws),
        file.toString(),
        transparency == null ? null : base.resolve(nonEmptyPath(y, transparency)).normalize(),
        maxConnections,
        admin);
  }

  /** The optional {@code admin:} section; refused when it is the API's own address and port. */
  private static Admin admin(YamlMap y, String apiHost, int apiPort) {
    YamlMap a = y.mapOrNull("admin");
    if (a == null) {
      return null;
    }
    Admin admin = new Admin(nonEmpty(a, "host"), a.integer("port", 0, 65535));
    a.finish();
    if (admin.port() != 0 && admin.port() == apiPort && admin.host().equals(apiHost)) {
      throw y.errorAt(
          "admin", apiHost + ":" + apiPort + " is the API's address; give its own port");
    }
    return admin;
  }

  private static String nonEmpty(YamlMap m, String key) {
    String s = m.string(key);
    if (s.isEmpty()) {
      throw m.errorAt(key, "required non-empty string");
    }
    return s;
  }

  private static String nonEmptyPath(YamlMap m, String value) {
    if (value.isEmpty()) {
      throw m.errorAt("transparency_dir", "required non-empty string");
    }
    return value;
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
