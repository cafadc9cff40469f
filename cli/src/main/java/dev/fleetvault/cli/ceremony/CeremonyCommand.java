package dev.fleetvault.cli.ceremony;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.evidence.AttestationVerifiers;
import dev.fleetvault.bundles.evidence.EvidenceManifest;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.evidence.EvidenceReport;
import dev.fleetvault.bundles.evidence.EvidenceVerifier;
import dev.fleetvault.bundles.evidence.KeyFacts;
import dev.fleetvault.bundles.evidence.KeyStatement;
import dev.fleetvault.bundles.evidence.Transcript;
import dev.fleetvault.bundles.evidence.WitnessPolicy;
import dev.fleetvault.bundles.evidence.WitnessSignature;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.driver.spi.Attestation;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeyProvenance;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.config.PeerTlsSpec;
import dev.fleetvault.gateway.driver.DriverOpener;
import dev.fleetvault.gateway.member.MemberKeys;
import dev.fleetvault.gateway.peer.PeerIdentity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fleetvault ceremony member|combine|witness-key}: the key ceremony that brings a fleet into
 * being.
 */
@Command(
    name = "ceremony",
    mixinStandardHelpOptions = true,
    header = "Run the key ceremony: one step per data center, then one to combine.",
    description =
        "member: on each member's own host, generate the member keys inside its HSM and write a signed key"
            + " statement. combine: check the statements, build the transcript, have witnesses sign it, write the"
            + " evidence package and the fleet artifact carrying its digest. witness-key: make a witness's Ed25519 key.",
    subcommands = {
      CeremonyCommand.MemberCmd.class,
      CeremonyCommand.CombineCmd.class,
      CeremonyCommand.WitnessKeyCmd.class
    })
public final class CeremonyCommand implements Runnable {
  /** Statement file suffix. */
  static final String STATEMENT_SUFFIX = ".statement.json";

  /** Member transcript log suffix. */
  static final String LOG_SUFFIX = ".ceremony.log";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: member, combine, witness-key");
  }

  /** Progress printed per step and kept as the transcript log (never secrets). */
  static final class Steps {
    private final PrintWriter out;
    private final StringBuilder log = new StringBuilder();
    private final int total;
    private int n;

    Steps(PrintWriter out, int total) {
      this.out = out;
      this.total = total;
    }

    void step(String what) {
      n++;
      line("[" + n + "/" + total + "] " + what);
    }

    void line(String s) {
      out.println(s);
      out.flush();
      log.append(
              DateTimeFormatter.ISO_INSTANT.format(
                  Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
          .append(' ')
          .append(s)
          .append('\n');
    }

    byte[] log() {
      return log.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** {@code ceremony member}. */
  @Command(
      name = "member",
      mixinStandardHelpOptions = true,
      header = "Generate one member's keys in its HSM and write its signed key statement.")
  static final class MemberCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "the node configuration")
    Path config;

    @Option(
        names = "--member",
        required = true,
        paramLabel = "ID",
        description = "this host's member id")
    String member;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "where the statement and the log go")
    Path out;

    @Option(
        names = "--epoch",
        defaultValue = "1",
        paramLabel = "N",
        description = "fleet epoch (default: ${DEFAULT-VALUE})")
    long epoch;

    @Option(
        names = "--software",
        paramLabel = "FILE",
        description = "the node distribution archive to hash (default: the running class path)")
    Path software;

    @Override
    public Integer call() throws Exception {
      if (epoch < 1) {
        throw new CliException(ExitCodes.USAGE, "--epoch must be at least 1");
      }
      Steps steps = new Steps(spec.commandLine().getOut(), 7);
      steps.step("reading configuration " + config);
      NodeConfig cfg;
      try {
        cfg = NodeConfig.load(config);
      } catch (RuntimeException e) {
        throw new CliException(ExitCodes.FAILURE, "cannot load " + config + ": " + e.getMessage());
      }
      NodeSpec node =
          cfg.node(member)
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.USAGE, "member '" + member + "' has no node in " + config));
      MemberSpec ms =
          cfg.member(member)
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.USAGE,
                          "member '" + member + "' is not in the fleet of " + config));
      steps.line(
          "      fleet "
              + cfg.fleetId()
              + ", epoch "
              + epoch
              + ", member "
              + member
              + " ("
              + ms.dataCenter()
              + ")");

      steps.step("opening HSM driver '" + node.hsm().driver() + "'");
      try (HsmDriver driver = DriverOpener.open(cfg, node)) {
        DeviceInfo info = driver.describe();
        steps.line(
            "      "
                + info.vendor()
                + " / "
                + info.model()
                + ", serial "
                + info.serial()
                + ", firmware "
                + info.firmwareVersion()
                + ", library "
                + info.libraryVersion());

        steps.step("generating member keys inside the HSM");
        Map<String, Boolean> existed = new LinkedHashMap<>();
        for (String role : List.of("hpke", "sign", "seal")) {
          existed.put(role, driver.findKey("fleetvault." + member + "." + role).isPresent());
        }
        MemberKeys keys = MemberKeys.ensure(driver, member);
        Map<String, KeyHandle> byRole =
            new TreeMap<>(Map.of("hpke", keys.hpke(), "sign", keys.sign(), "seal", keys.seal()));
        byRole.forEach(
            (role, h) ->
                steps.line(
                    "      "
                        + role
                        + ": "
                        + h.label()
                        + " "
                        + h.spec()
                        + " "
                        + (existed.get(role)
                            ? "found (generated earlier in this HSM)"
                            : "generated now")));
        Map<String, String> peerTls = peerTls(node, ms, steps);

        steps.step("reading key provenance and attestations from the HSM");
        List<KeyFacts> facts = new ArrayList<>();
        for (Map.Entry<String, KeyHandle> e : byRole.entrySet()) {
          facts.add(facts(driver, e.getKey(), e.getValue(), steps));
        }

        steps.step("hashing the node software and configuration");
        SoftwareHash.Result sw = SoftwareHash.of(software);
        byte[] cfgHash = SoftwareHash.hashFile(config);
        steps.line("      software " + SoftwareHash.hex(sw.sha256()) + " (" + sw.source() + ")");
        steps.line(
            "      config   " + SoftwareHash.hex(cfgHash) + " (" + config.getFileName() + ")");

        steps.step("writing and signing the key statement with the member's HSM signing key");
        Map<String, String> hsm = new TreeMap<>();
        hsm.put("driver", info.driverId());
        hsm.put("vendor", info.vendor());
        hsm.put("model", info.model());
        hsm.put("serial", info.serial());
        hsm.put("firmware", info.firmwareVersion());
        hsm.put("library", info.libraryVersion());
        KeyStatement st =
            new KeyStatement(
                cfg.fleetId(),
                epoch,
                member,
                ms.dataCenter(),
                Instant.now().getEpochSecond(),
                keys.hpkePublic(),
                dev.fleetvault.driver.spi.P256Points.encodeUncompressed(
                    (ECPublicKey) keys.signPublic()),
                peerTls,
                hsm,
                facts,
                sw.sha256(),
                sw.source(),
                cfgHash);
        byte[] sig = driver.sign(keys.sign(), st.signingInput());
        if (!st.verifySignature(sig)) {
          throw new CliException(
              ExitCodes.FAILURE, "the HSM's signature over the statement does not verify");
        }
        byte[] file = st.toSignedJson(sig);
        Path stFile = out.resolve(member + STATEMENT_SUFFIX);
        EvidenceFiles.writeNew(stFile, file, false);
        steps.line("      " + stFile + " sha256 " + EvidenceFiles.sha256Hex(file));

        steps.step("done: bring " + stFile.getFileName() + " to the combine step");
        EvidenceFiles.writeNew(out.resolve(member + LOG_SUFFIX), steps.log(), false);
        return ExitCodes.OK;
      } catch (HsmException e) {
        throw new CliException(ExitCodes.FAILURE, "HSM: " + e.getMessage());
      }
    }

    private static KeyFacts facts(HsmDriver d, String role, KeyHandle h, Steps steps)
        throws HsmException {
      byte[] spki = h.spec() == KeySpec.AES_256 ? new byte[0] : d.publicKey(h).getEncoded();
      Optional<KeyFacts.Provenance> prov = Optional.empty();
      String provErr = "";
      try {
        KeyProvenance p = d.keyProvenance(h);
        prov =
            Optional.of(
                new KeyFacts.Provenance(
                    p.generatedOnDevice(),
                    p.neverExtractable(),
                    p.alwaysSensitive(),
                    p.extractable(),
                    p.source(),
                    p.rawAttributes()));
        steps.line(
            "      "
                + role
                + ": generated on device "
                + p.generatedOnDevice()
                + ", never extractable "
                + p.neverExtractable()
                + ", always sensitive "
                + p.alwaysSensitive()
                + ", extractable "
                + p.extractable());
      } catch (HsmException e) {
        if (e.kind() != HsmException.Kind.UNSUPPORTED) {
          throw e;
        }
        provErr = e.getMessage();
        steps.line("      " + role + ": NO PROVENANCE: " + provErr);
      }
      Optional<KeyFacts.AttestationData> att = Optional.empty();
      try {
        Attestation a = d.attest(h);
        att = Optional.of(new KeyFacts.AttestationData(a.format(), a.bytes()));
        steps.line(
            "      " + role + ": attestation " + a.format() + " (" + a.bytes().length + " bytes)");
      } catch (HsmException e) {
        if (e.kind() != HsmException.Kind.UNSUPPORTED) {
          throw e;
        }
        steps.line("      " + role + ": no attestation offered by this device");
      }
      return new KeyFacts(role, h.label(), h.spec().name(), h.keyId(), spki, prov, provErr, att);
    }

    /**
     * The member's peer TLS identity for its statement: the configured {@code peer_tls}
     * certificate, or a key pair and self-signed certificate generated now on this host (key 0600
     * in the member's data directory, reused when already there). The certificate enters the fleet
     * artifact; every other member pins it.
     */
    private static Map<String, String> peerTls(NodeSpec node, MemberSpec ms, Steps steps) {
      PeerTlsSpec tls = node.peerTls();
      byte[] der;
      String mode;
      if (tls == null || tls.generate()) {
        boolean existed = Files.isRegularFile(node.dataDir().resolve(PeerIdentity.KEY_FILE));
        try {
          der = PeerIdentity.ensure(node, ms).getEncoded();
        } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
          throw new CliException(ExitCodes.FAILURE, "peer TLS identity: " + e.getMessage());
        }
        mode = "ceremony";
        steps.line(
            "      peer TLS: "
                + node.dataDir().resolve(PeerIdentity.KEY_FILE)
                + " (0600) "
                + (existed ? "found (made earlier on this host)" : "generated now")
                + ", self-signed for "
                + PeerIdentity.hostsOf(ms));
      } else {
        der = EvidenceFiles.unpem(tls.cert(), "CERTIFICATE");
        mode = "files";
        steps.line("      peer TLS: the configured certificate " + tls.cert());
      }
      Map<String, String> m = new TreeMap<>();
      m.put("mode", mode);
      m.put("cert_sha256", EvidenceFiles.sha256Hex(der));
      m.put("certificate", java.util.Base64.getEncoder().encodeToString(der));
      try {
        java.security.cert.X509Certificate c =
            (java.security.cert.X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        m.put("subject", c.getSubjectX500Principal().getName());
      } catch (java.security.cert.CertificateException e) {
        throw new CliException(
            ExitCodes.FAILURE, "peer TLS certificate is not an X.509 certificate");
      }
      return m;
    }
  }

  /** {@code ceremony combine}. */
  @Command(
      name = "combine",
      mixinStandardHelpOptions = true,
      header =
          "Check the member statements, have witnesses sign the transcript, write the evidence package and the fleet artifact.")
  static final class CombineCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--statements",
        required = true,
        arity = "1..*",
        paramLabel = "DIR",
        description =
            "directories holding *"
                + STATEMENT_SUFFIX
                + " (and *"
                + LOG_SUFFIX
                + ") from the member steps")
    List<Path> statements;

    @Option(
        names = "--witness",
        required = true,
        arity = "1..*",
        paramLabel = "NAME=KEYFILE",
        description = "a witness and its Ed25519 private key (PKCS#8 PEM); repeat per witness")
    List<String> witnesses;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "output: evidence/ and fleet-artifact.json")
    Path out;

    @Option(
        names = "--validity-days",
        defaultValue = "365",
        paramLabel = "N",
        description = "artifact validity (default: ${DEFAULT-VALUE})")
    int validityDays;

    @Option(
        names = "--allow-soft-driver",
        description = "accept members on the software driver (DEVELOPMENT ONLY)")
    boolean allowSoft;

    @Option(
        names = "--allow-keys-without-provenance",
        description =
            "accept member keys without the device's proof of on-device generation (member_keys: wrapped"
                + " on an HSM without EC keys, e.g. PyKMIP); the evidence then shows NO PROVENANCE for them")
    boolean allowNoProvenance;

    @Override
    public Integer call() throws Exception {
      Steps steps = new Steps(spec.commandLine().getOut(), 6);
      Map<String, Path> witnessKeys = EvidenceFiles.namedPaths(witnesses, "--witness");
      if (Files.exists(out.resolve("evidence"))
          || Files.exists(out.resolve("fleet-artifact.json"))) {
        throw new CliException(
            ExitCodes.FAILURE, out + " already holds a ceremony; use a new --out");
      }
      steps.step("reading member statements");
      Map<String, byte[]> files = new TreeMap<>();
      Map<String, KeyStatement> byMember = new TreeMap<>();
      for (Path dir : statements) {
        List<Path> found =
            Files.isDirectory(dir) ? EvidenceFiles.list(dir, STATEMENT_SUFFIX) : List.of(dir);
        if (found.isEmpty()) {
          throw new CliException(ExitCodes.FAILURE, dir + ": no *" + STATEMENT_SUFFIX + " files");
        }
        for (Path p : found) {
          byte[] b = EvidenceFiles.read(p);
          KeyStatement.Signed s;
          try {
            s = KeyStatement.parseSigned(b);
          } catch (FormatException e) {
            throw new CliException(
                ExitCodes.FAILURE, p + ": not a key statement: " + e.getMessage());
          }
          String id = s.statement().memberId();
          if (!s.signatureValid()) {
            throw new CliException(
                ExitCodes.FAILURE,
                p
                    + ": the signature of member "
                    + id
                    + " does not verify (wrong member signature)");
          }
          if (byMember.put(id, s.statement()) != null) {
            throw new CliException(ExitCodes.FAILURE, "two statements for member " + id);
          }
          files.put("statements/" + id + ".json", b);
          Path log = p.resolveSibling(id + LOG_SUFFIX);
          if (Files.isRegularFile(log)) {
            files.put("logs/" + id + LOG_SUFFIX, EvidenceFiles.read(log));
          }
          steps.line(
              "      "
                  + id
                  + ": signature ok, "
                  + s.statement().hsm().get("vendor")
                  + " "
                  + s.statement().hsm().get("model")
                  + ", sha256 "
                  + EvidenceFiles.sha256Hex(b));
        }
      }
      KeyStatement first = byMember.values().iterator().next();
      for (KeyStatement s : byMember.values()) {
        if (!s.fleetId().equals(first.fleetId()) || s.epoch() != first.epoch()) {
          throw new CliException(
              ExitCodes.FAILURE,
              "statements disagree on fleet/epoch: "
                  + s.memberId()
                  + " is "
                  + s.fleetId()
                  + "/"
                  + s.epoch()
                  + ", "
                  + first.memberId()
                  + " is "
                  + first.fleetId()
                  + "/"
                  + first.epoch());
        }
      }
      int n = byMember.size();
      if (n < 3 || n % 2 == 0) {
        steps.line("      WARNING: " + n + " members; a fleet has an odd number n >= 3");
      }
      int threshold = EvidencePolicy.majority(n);

      steps.step(
          "building the transcript ("
              + first.fleetId()
              + " epoch "
              + first.epoch()
              + ", "
              + n
              + " members, threshold "
              + threshold
              + ")");
      List<Transcript.Entry> entries = new ArrayList<>();
      for (String id : byMember.keySet()) {
        String path = "statements/" + id + ".json";
        entries.add(new Transcript.Entry(id, path, sha256(files.get(path))));
      }
      Transcript transcript =
          new Transcript(
              first.fleetId(), first.epoch(), threshold, Instant.now().getEpochSecond(), entries);
      files.put(EvidenceVerifier.TRANSCRIPT, transcript.toCanonicalJson());

      steps.step("witnesses sign the transcript");
      List<WitnessSignature> sigs = new ArrayList<>();
      Map<String, byte[]> policyKeys = new TreeMap<>();
      for (Map.Entry<String, Path> w : witnessKeys.entrySet()) {
        PrivateKey k = EvidenceFiles.ed25519Private(w.getValue());
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(k);
        s.update(transcript.witnessInput());
        byte[] pub = publicOf(w.getValue());
        sigs.add(new WitnessSignature(w.getKey(), pub, s.sign()));
        policyKeys.put(w.getKey(), pub);
        steps.line(
            "      "
                + w.getKey()
                + " signed (key "
                + EvidenceFiles.sha256Hex(pub).substring(0, 16)
                + ")");
      }
      files.put(EvidenceVerifier.WITNESSES, WitnessSignature.encodeAll(sigs));

      steps.step("writing the evidence package and its manifest");
      files.put("logs/combine.log", steps.log());
      EvidenceManifest manifest = EvidenceManifest.of(files);
      files.put(EvidenceManifest.PATH, manifest.toCanonicalJson());

      steps.step("building the fleet artifact with the evidence digest");
      List<FleetMember> members = new ArrayList<>();
      for (KeyStatement s : byMember.values()) {
        members.add(
            new FleetMember(
                s.memberId(),
                s.dataCenter(),
                s.hpkePublicKey(),
                s.signingPublicKey(),
                FleetMember.ROLE_MEMBER,
                s.peerTlsCertificate()));
      }
      Instant nb = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      FleetArtifact artifact =
          new FleetArtifact(
              FleetArtifact.NAMESPACE,
              first.fleetId(),
              first.epoch(),
              threshold,
              members,
              nb,
              nb.plus(java.time.Duration.ofDays(validityDays)),
              manifest.digest());

      steps.step("verifying what was written");
      EvidencePolicy policy =
          allowSoft ? EvidencePolicy.STRICT.allowingSoftDriver() : EvidencePolicy.STRICT;
      if (allowNoProvenance) {
        policy =
            new EvidencePolicy(
                policy.allowEmptyEvidenceDigest(),
                policy.requireMajorityThreshold(),
                policy.allowSoftDriver(),
                false,
                policy.requireHardwareAttestation(),
                policy.expectedSoftwareSha256());
        steps.line(
            "      WARNING: keys without device provenance are accepted (--allow-keys-without-provenance)");
      }
      EvidenceReport r =
          new EvidenceVerifier(
                  new WitnessPolicy(policyKeys, policyKeys.size()),
                  policy,
                  AttestationVerifiers.load())
              .verify(files, Optional.of(artifact));
      r.failures().forEach(c -> steps.line("      " + c));
      if (!r.verified()) {
        throw new CliException(
            ExitCodes.FAILURE,
            "the combined evidence does not pass its own verification: "
                + r.verdict()
                + "; nothing written");
      }
      Path ev = out.resolve("evidence");
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        EvidenceFiles.writeNew(ev.resolve(f.getKey()), f.getValue(), false);
      }
      EvidenceFiles.writeNew(out.resolve("fleet-artifact.json"), artifact.toCanonicalJson(), false);
      PrintWriter o = spec.commandLine().getOut();
      o.println("evidence package: " + ev);
      o.println("fleet artifact:   " + out.resolve("fleet-artifact.json"));
      o.println("evidence digest:  " + r.evidenceDigest());
      o.flush();
      return ExitCodes.OK;
    }

    private static byte[] publicOf(Path privateKeyFile) {
      Path pub =
          privateKeyFile.resolveSibling(
              privateKeyFile.getFileName().toString().replace(".key.pem", ".pub.pem"));
      if (pub.equals(privateKeyFile) || !Files.isRegularFile(pub)) {
        throw new CliException(
            ExitCodes.FAILURE,
            "no public key beside "
                + privateKeyFile
                + " (expected NAME.key.pem and NAME.pub.pem as `ceremony witness-key` writes them)");
      }
      return dev.fleetvault.bundles.evidence.SpkiKeys.ed25519Raw(
          EvidenceFiles.ed25519PublicSpki(pub));
    }

    private static byte[] sha256(byte[] b) {
      return java.util.HexFormat.of().parseHex(EvidenceFiles.sha256Hex(b));
    }
  }

  /** {@code ceremony witness-key}. */
  @Command(
      name = "witness-key",
      mixinStandardHelpOptions = true,
      header = "Generate a witness's Ed25519 key pair: NAME.key.pem (0600) and NAME.pub.pem.")
  static final class WitnessKeyCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "the witness's name")
    String name;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "where the two files go")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new CliException(ExitCodes.USAGE, "--name must be 1..64 chars of [A-Za-z0-9._-]");
      }
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      EvidenceFiles.writeNew(
          out.resolve(name + ".key.pem"),
          EvidenceFiles.pem("PRIVATE KEY", kp.getPrivate().getEncoded())
              .getBytes(StandardCharsets.US_ASCII),
          true);
      EvidenceFiles.writeNew(
          out.resolve(name + ".pub.pem"),
          EvidenceFiles.pem("PUBLIC KEY", kp.getPublic().getEncoded())
              .getBytes(StandardCharsets.US_ASCII),
          false);
      spec.commandLine()
          .getOut()
          .println(
              "witness "
                  + name
                  + ": "
                  + out.resolve(name + ".pub.pem")
                  + " (public), "
                  + out.resolve(name + ".key.pem")
                  + " (private, 0600)");
      return ExitCodes.OK;
    }
  }
}
