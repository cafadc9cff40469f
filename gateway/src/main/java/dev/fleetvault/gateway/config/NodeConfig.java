package dev.fleetvault.gateway.config;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.config.yaml.KeyRecorder;
import dev.fleetvault.config.yaml.StrictYaml;
import dev.fleetvault.config.yaml.YamlMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed, validated Fleetvault configuration file (strict YAML; the schema is in {@code
 * config/README.md}). One file describes the whole fleet (its members and their addresses), the
 * apps allowed to call it, request limits, and the node(s) this file starts: one for a production
 * node, all members for the local development fleet.
 *
 * <p>Guarantees: an unknown key, a missing required key, a wrong type, a duplicate member or a node
 * naming an unknown member throws {@link ConfigException} naming the file, line and key. Relative
 * paths are resolved against the file's directory ({@code data_root}) or the node's data directory
 * (driver settings). Instances are immutable.
 */
public final class NodeConfig {
  /** The only schema version this code reads. */
  public static final int VERSION = 1;

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  private final Path source;
  private final String fleetId;
  private final Path dataRoot;
  private final List<MemberSpec> members;
  private final List<AppSpec> apps;
  private final LimitsSpec limits;
  private final List<NodeSpec> nodes;
  private final Path bundleFile;
  private final RegistrationSpec registration;
  private final boolean development;
  private final FleetBundleSpec fleetBundle;

  private NodeConfig(
      Path source,
      String fleetId,
      Path dataRoot,
      List<MemberSpec> members,
      List<AppSpec> apps,
      LimitsSpec limits,
      List<NodeSpec> nodes,
      Path bundleFile,
      RegistrationSpec registration,
      boolean development,
      FleetBundleSpec fleetBundle) {
    this.development = development;
    this.fleetBundle = fleetBundle;
    this.bundleFile = bundleFile;
    this.registration = registration;
    this.source = source;
    this.fleetId = fleetId;
    this.dataRoot = dataRoot;
    this.members = List.copyOf(members);
    this.apps = List.copyOf(apps);
    this.limits = limits;
    this.nodes = List.copyOf(nodes);
  }

  /** Loads and validates {@code file}. */
  public static NodeConfig load(Path file) {
    return load(file, null);
  }

  /**
   * Loads and validates {@code file}, placing all data under {@code dataRootOverride} instead of
   * the file's {@code data_root} when it is not null (tests, or {@code --data DIR}).
   */
  public static NodeConfig load(Path file, Path dataRootOverride) {
    Path abs = file.toAbsolutePath().normalize();
    Path base = abs.getParent();
    YamlMap root = StrictYaml.parse(abs);
    int version = root.integer("version", 1, 1000);
    if (version != VERSION) {
      throw root.errorAt("version", "this Fleetvault reads version " + VERSION + " only");
    }
    Path dataRoot =
        dataRootOverride != null
            ? dataRootOverride.toAbsolutePath().normalize()
            : base.resolve(root.string("data_root", "../data")).normalize();
    if (dataRootOverride != null) {
      root.string("data_root", "");
    }

    YamlMap fleet = root.map("fleet");
    String fleetId = id(fleet, "id");
    List<MemberSpec> members = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    java.util.Map<HostPort, String> listeners = new java.util.HashMap<>();
    for (YamlMap m : fleet.maps("members")) {
      String id = id(m, "id");
      if (!seen.add(id)) {
        throw m.errorAt("id", "member id '" + id + "' appears twice");
      }
      MemberSpec spec =
          new MemberSpec(
              id,
              m.string("data_center", id),
              hostPort(m, "client"),
              hostPort(m, "peer"),
              hostPort(m, "raft"),
              hostPort(m, "cluster"),
              hostPortOrNull(m, "admin"));
      String[] keys = {"client", "peer", "raft", "cluster", "admin"};
      HostPort[] addrs = {spec.client(), spec.peer(), spec.raft(), spec.cluster(), spec.admin()};
      for (int k = 0; k < keys.length; k++) {
        if (addrs[k] == null || addrs[k].port() == 0) {
          continue;
        }
        String owner = listeners.putIfAbsent(addrs[k], id + "." + keys[k]);
        if (owner != null) {
          throw m.errorAt(
              keys[k],
              addrs[k].host()
                  + ":"
                  + addrs[k].port()
                  + " is already "
                  + owner
                  + "; every listener needs its own port");
        }
      }
      members.add(spec);
      m.finish();
    }
    if (members.size() < 3 || members.size() % 2 == 0) {
      throw fleet.errorAt(
          "members", "a fleet needs an odd number of members, at least 3; got " + members.size());
    }
    fleet.finish();

    List<AppSpec> apps = new ArrayList<>();
    for (YamlMap a : root.maps("apps")) {
      String id = a.string("id");
      if (id.isEmpty() || id.contains("/")) {
        throw a.errorAt(
            "id", "an app id is 1 or more characters without '/' (record keys are app/user)");
      }
      List<PublicKey> keys = new ArrayList<>();
      List<String> pems = new ArrayList<>();
      for (String p : a.strings("public_keys")) {
        Path keyFile = base.resolve(p).normalize();
        try {
          String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
          keys.add(parseP256PublicKey(pem));
          pems.add(pem);
        } catch (IOException | RuntimeException e) {
          throw a.errorAt(
              "public_keys",
              "cannot read a P-256 public key (PEM) from " + keyFile + ": " + e.getMessage());
        }
      }
      if (keys.isEmpty()) {
        throw a.errorAt("public_keys", "app '" + id + "' needs at least one public key");
      }
      String audience = a.string("audience", fleetId);
      if (audience.isEmpty()) {
        throw a.errorAt("audience", "the token audience must not be empty");
      }
      long maxLifetime =
          a.integer(
              "max_token_lifetime_seconds",
              (int) AppSpec.DEFAULT_MAX_TOKEN_LIFETIME,
              60,
              7 * 24 * 3600);
      java.util.Optional<dev.fleetvault.protocol.passkey.RelyingParty> passkey =
          java.util.Optional.empty();
      YamlMap pk = a.mapOrNull("passkey");
      if (pk != null) {
        try {
          passkey =
              java.util.Optional.of(
                  new dev.fleetvault.protocol.passkey.RelyingParty(
                      pk.string("rp_id"), pk.strings("origins")));
        } catch (IllegalArgumentException e) {
          throw a.errorAt("passkey", e.getMessage());
        }
        pk.finish();
      }
      apps.add(new AppSpec(id, keys, pems, audience, maxLifetime, passkey));
      a.finish();
    }

    LimitsSpec limits = LimitsSpec.DEFAULTS;
    YamlMap l = root.mapOrNull("limits");
    if (l != null) {
      LimitsSpec d = LimitsSpec.DEFAULTS;
      limits =
          new LimitsSpec(
              l.integer("max_message_bytes", d.maxMessageBytes(), 1024, 4 << 20),
              l.integer("per_user_per_minute", d.perUserPerMinute(), 1, 1_000_000),
              l.integer("per_address_per_minute", d.perAddressPerMinute(), 1, 10_000_000),
              l.integer("request_timeout_ms", d.requestTimeoutMs(), 100, 600_000),
              l.integer("idle_timeout_ms", d.idleTimeoutMs(), 1000, 3_600_000),
              l.integer("max_concurrent_streams", d.maxConcurrentStreams(), 1, 10_000),
              l.integer("max_connections_per_address", d.maxConnectionsPerAddress(), 1, 100_000));
      l.finish();
    }

    RegistrationSpec registration = registration(root.mapOrNull("registration"));

    List<NodeSpec> nodes = new ArrayList<>();
    Set<String> nodeMembers = new HashSet<>();
    for (YamlMap n : root.maps("nodes")) {
      String member = n.string("member");
      if (!seen.contains(member)) {
        throw n.errorAt("member", "'" + member + "' is not one of the fleet's members " + seen);
      }
      if (!nodeMembers.add(member)) {
        throw n.errorAt("member", "member '" + member + "' has two nodes in this file");
      }
      Path dataDir = dataRoot.resolve(n.string("data_dir", member)).normalize();
      YamlMap h = n.map("hsm");
      String keyMode = h.string("member_keys", MemberKeyMode.IN_HSM.yaml());
      MemberKeyMode memberKeys = MemberKeyMode.parse(keyMode);
      if (memberKeys == null) {
        throw h.errorAt(
            "member_keys",
            "must be in_hsm (EC keys inside the HSM, the default) or "
                + "wrapped (only for HSMs without EC P-256), got '"
                + keyMode
                + "'");
      }
      HsmSpec hsm = HsmSpec.of(dev.fleetvault.driver.spi.HsmSection.read(h), memberKeys);
      h.finish();
      PeerTlsSpec tls = PeerTlsSpec.GENERATED;
      YamlMap t = n.mapOrNull("peer_tls");
      if (t != null) {
        tls =
            new PeerTlsSpec(
                false,
                readable(t, "ca_cert", base),
                readable(t, "cert", base),
                readable(t, "key", base));
        t.finish();
      }
      nodes.add(new NodeSpec(member, dataDir, hsm, tls));
      n.finish();
    }
    String bundle = root.string("bundle_file", null);
    Path bundleFile = bundle == null ? null : base.resolve(bundle).normalize();
    boolean development = root.bool("development", false);
    FleetBundleSpec fleetBundle = fleetBundle(root.mapOrNull("fleet_bundle"), base);
    if (development) {
      if (fleetBundle != null) {
        throw root.errorAt(
            "fleet_bundle",
            "a development fleet (development: true) learns its "
                + "peers from the development fleet directory; remove fleet_bundle or development");
      }
      for (MemberSpec m : members) {
        for (HostPort hp : List.of(m.client(), m.peer(), m.raft(), m.cluster())) {
          if (!isLoopback(hp.host())) {
            throw root.errorAt(
                "development",
                "development: true is for a fleet on this machine "
                    + "only, but member "
                    + m.id()
                    + " listens on "
                    + hp
                    + " (not a loopback address); "
                    + "a production fleet starts from the key ceremony (fleet_bundle:)");
          }
        }
      }
    } else {
      if (fleetBundle == null) {
        throw root.errorAt(
            "fleet_bundle",
            "a production node learns its peers only from the "
                + "fleet's signed bundle: add fleet_bundle: (trust, and file or signer; see "
                + "config/README.md), or set development: true for a loopback-only development fleet");
      }
      for (NodeSpec n : nodes) {
        if ("soft".equals(n.hsm().driver()) && !fleetBundle.allowSoftDriver()) {
          throw root.errorAt(
              "nodes",
              "node "
                  + n.member()
                  + " uses the software HSM driver, which "
                  + "is for development only (development: true), or for tests with "
                  + "fleet_bundle.allow_soft_driver: true");
        }
      }
    }
    root.finish();
    return new NodeConfig(
        abs,
        fleetId,
        dataRoot,
        members,
        apps,
        limits,
        nodes,
        bundleFile,
        registration,
        development,
        fleetBundle);
  }

  private static FleetBundleSpec fleetBundle(YamlMap b, Path base) {
    if (b == null) {
      return null;
    }
    Path trust = base.resolve(b.string("trust")).normalize();
    String file = b.string("file", null);
    String signer = b.string("signer", null);
    if ((file == null) == (signer == null)) {
      throw b.errorAt(
          file == null ? "file" : "signer",
          "give exactly one of file (the bundle JSON) and signer (the signer's URL)");
    }
    java.net.URI signerUri = null;
    if (signer != null) {
      try {
        signerUri = java.net.URI.create(signer);
      } catch (IllegalArgumentException e) {
        throw b.errorAt("signer", "not a URL: " + signer);
      }
      if (!"http".equals(signerUri.getScheme()) && !"https".equals(signerUri.getScheme())) {
        throw b.errorAt("signer", "must be an http(s) URL, got '" + signer + "'");
      }
    }
    String evidence = b.string("evidence", null);
    java.util.Map<String, Path> witnesses = new java.util.TreeMap<>();
    if (b.has("witnesses")) {
      for (String w : b.strings("witnesses")) {
        int eq = w.indexOf('=');
        if (eq <= 0
            || eq == w.length() - 1
            || !w.substring(0, eq).matches("[A-Za-z0-9._-]{1,64}")) {
          throw b.errorAt(
              "witnesses",
              "each witness is NAME=PUBLIC_KEY_FILE (the name it signed "
                  + "the ceremony with), got '"
                  + w
                  + "'");
        }
        if (witnesses.put(w.substring(0, eq), base.resolve(w.substring(eq + 1)).normalize())
            != null) {
          throw b.errorAt("witnesses", "witness '" + w.substring(0, eq) + "' appears twice");
        }
      }
    }
    if (evidence != null && witnesses.isEmpty()) {
      throw b.errorAt(
          "witnesses",
          "evidence is checked against the ceremony's witnesses: list " + "NAME=PUBLIC_KEY_FILE");
    }
    int quorum =
        b.integer(
            "witness_quorum",
            witnesses.size(),
            witnesses.isEmpty() ? 0 : 1,
            Math.max(witnesses.size(), 0));
    boolean soft = b.bool("allow_soft_driver", false);
    b.finish();
    return new FleetBundleSpec(
        trust,
        java.util.Optional.ofNullable(file).map(f -> base.resolve(f).normalize()),
        java.util.Optional.ofNullable(signerUri),
        java.util.Optional.ofNullable(evidence).map(e -> base.resolve(e).normalize()),
        witnesses,
        quorum,
        soft);
  }

  /** Whether {@code host} is (or resolves only to) a loopback address. */
  static boolean isLoopback(String host) {
    try {
      java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
      for (java.net.InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static RegistrationSpec registration(YamlMap r) {
    if (r == null) {
      return RegistrationSpec.DEFAULTS;
    }
    RegistrationSpec d = RegistrationSpec.DEFAULTS;
    int max = r.integer("max_guess_limit", d.maxGuessLimit(), 1, 100);
    List<String> params = r.has("pin_params") ? r.strings("pin_params") : d.pinParams();
    if (params.isEmpty()) {
      throw r.errorAt("pin_params", "list at least one Argon2id parameter set");
    }
    for (String p : params) {
      try {
        dev.fleetvault.protocol.pin.Argon2idParameters.forId(p);
      } catch (IllegalArgumentException e) {
        throw r.errorAt("pin_params", e.getMessage());
      }
    }
    r.finish();
    return new RegistrationSpec(max, params);
  }

  /**
   * The file named by {@code key}, resolved against {@code base}; refused now if it cannot be read.
   */
  private static Path readable(YamlMap m, String key, Path base) {
    Path p = base.resolve(m.string(key)).normalize();
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw m.errorAt(key, "cannot read " + p + " (missing, not a regular file, or not readable)");
    }
    return p;
  }

  private static String id(YamlMap m, String key) {
    String v = m.string(key);
    if (!ID.matcher(v).matches()) {
      throw m.errorAt(key, "must match " + ID.pattern() + ", got '" + v + "'");
    }
    return v;
  }

  /**
   * Parses a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of a P-256 key: the named curve secp256r1 and
   * a point on it, checked by the protocol's own strict decoder ({@code Ecdh.decodeSpki}, the one
   * the token check uses), so no other 256-bit curve (secp256k1, brainpoolP256r1) passes whatever
   * the JDK's providers accept.
   *
   * @throws IllegalArgumentException if the PEM is not such a key
   */
  public static PublicKey parseP256PublicKey(String pem) {
    String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a PEM public key (bad base64)", e);
    }
    try {
      dev.fleetvault.protocol.group.Ecdh.decodeSpki(der);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a P-256 public key: " + e.getMessage(), e);
    }
    try {
      PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      if (!(k instanceof ECPublicKey)) {
        throw new IllegalArgumentException("not a P-256 key");
      }
      return k;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC public key: " + e.getMessage(), e);
    }
  }

  /**
   * True only for a DEVELOPMENT fleet ({@code development: true}): peers learnt from the
   * development fleet directory, development PKI, the software driver, the in-JVM local fleet.
   * Refused at load unless every listener of every member is on a loopback address.
   */
  public boolean development() {
    return development;
  }

  /** Where a production node's signed fleet bundle comes from (absent in development). */
  public Optional<FleetBundleSpec> fleetBundle() {
    return Optional.ofNullable(fleetBundle);
  }

  /** The file this was read from. */
  public Path source() {
    return source;
  }

  /**
   * The validation bundle (signed BundleEnvelope JSON) served on every answer, if configured
   * ({@code bundle_file}, relative to the file); re-read when it changes.
   */
  public Optional<Path> bundleFile() {
    return Optional.ofNullable(bundleFile);
  }

  /** The fleet id. */
  public String fleetId() {
    return fleetId;
  }

  /** Where data lives; node data dirs and the shared fleet directory are under it. */
  public Path dataRoot() {
    return dataRoot;
  }

  /**
   * The fleet directory shared by the nodes of a development fleet (generated CA, published member
   * public keys): {@code data_root/fleet}.
   */
  public Path fleetDir() {
    return dataRoot.resolve("fleet");
  }

  /** All members, in configuration order. */
  public List<MemberSpec> members() {
    return members;
  }

  /** Members needed to agree: {@code floor(n/2) + 1}. */
  public int threshold() {
    return members.size() / 2 + 1;
  }

  /** The member with that id. */
  public Optional<MemberSpec> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** Apps allowed to call. */
  public List<AppSpec> apps() {
    return apps;
  }

  /** Request limits. */
  public LimitsSpec limits() {
    return limits;
  }

  /**
   * What members accept in a registration ({@code registration:}; production defaults if absent).
   */
  public RegistrationSpec registration() {
    return registration;
  }

  /** The nodes this file starts. */
  public List<NodeSpec> nodes() {
    return nodes;
  }

  /** The node for that member, if this file starts it. */
  public Optional<NodeSpec> node(String memberId) {
    return nodes.stream().filter(n -> n.member().equals(memberId)).findFirst();
  }

  @Override
  public String toString() {
    return "NodeConfig["
        + source
        + ", fleet "
        + fleetId
        + ", "
        + members.size()
        + " members, "
        + nodes.size()
        + " nodes here]";
  }

  private static HostPort hostPort(YamlMap m, String key) {
    return m.parsed(key, KeyRecorder.Kind.HOST_PORT, "host:port", HostPort::parse);
  }

  private static HostPort hostPortOrNull(YamlMap m, String key) {
    return m.parsedOrNull(key, KeyRecorder.Kind.HOST_PORT, "host:port", HostPort::parse);
  }
}
