package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The key ceremony end to end on three soft-driver members (each its own data directory and key
 * file): member steps → combine with two witnesses → evidence verify, then what verify refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CeremonyCliTest {
  private Path dir;
  private Path out;
  private Path evidence;
  private Path artifact;
  private Path keys;

  @BeforeAll
  void ceremony() throws Exception {
    dir = TestDirs.fresh("ceremony");
    Files.writeString(dir.resolve("soft-passphrase.txt"), "test passphrase for the soft driver\n");
    Files.writeString(dir.resolve("dist.tar"), "stand-in for the reproducible node distribution\n");
    Files.writeString(dir.resolve("app.pub.pem"), appKey());
    StringBuilder y =
        new StringBuilder(
            "version: 1\ndevelopment: true\ndata_root: data\nfleet:\n  id: cer\n  members:\n");
    for (int i = 1; i <= 3; i++) {
      y.append("    - id: dc")
          .append(i)
          .append("\n      client: 127.0.0.1:")
          .append(47400 + i)
          .append("\n      peer: 127.0.0.1:")
          .append(47410 + i)
          .append("\n      raft: 127.0.0.1:")
          .append(47420 + i)
          .append("\n      cluster: 127.0.0.1:")
          .append(47430 + i)
          .append('\n');
    }
    y.append("apps:\n  - id: app\n    public_keys: [app.pub.pem]\n");
    y.append(
        "limits:\n  max_message_bytes: 65536\n  per_user_per_minute: 100\n  per_address_per_minute: 1000\n"
            + "  request_timeout_ms: 5000\nnodes:\n");
    for (int i = 1; i <= 3; i++) {
      y.append("  - member: dc")
          .append(i)
          .append("\n    hsm:\n      driver: soft\n")
          .append("      allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n")
          .append(
              "      timeout_ms: 10000\n      settings:\n        key_file: ${data_dir}/soft-hsm.keys\n")
          .append("        passphrase_file: ${config_dir}/soft-passphrase.txt\n")
          .append("        kdf_memory_kib: 8192\n        kdf_iterations: 1\n");
    }
    Path cfg = dir.resolve("fleet.yaml");
    Files.writeString(cfg, y.toString());
    List<String> stmtDirs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path sd = dir.resolve("dc" + i + "-out");
      CliRun r =
          CliRun.run(
              "",
              "ceremony",
              "member",
              "--config",
              cfg.toString(),
              "--member",
              "dc" + i,
              "--out",
              sd.toString(),
              "--software",
              dir.resolve("dist.tar").toString());
      System.out.println(r.out());
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out())
          .contains(
              "[1/7]", "[7/7]", "generated now", "attestation fleetvault-soft-dev-attestation-v1");
      stmtDirs.add(sd.toString());
    }
    assertThat(Files.readString(dir.resolve("dc1-out/dc1.ceremony.log")))
        .contains("generating member keys inside the HSM");
    keys = dir.resolve("witnesses");
    for (String w : List.of("alice", "bob", "carol", "eve")) {
      assertThat(
              CliRun.run("", "ceremony", "witness-key", "--name", w, "--out", keys.toString())
                  .exit())
          .isZero();
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve("alice.key.pem"))))
        .isEqualTo("rw-------");
    out = dir.resolve("combined");
    List<String> args = new ArrayList<>(List.of("ceremony", "combine", "--statements"));
    args.addAll(stmtDirs);
    args.addAll(
        List.of(
            "--witness",
            "alice=" + keys.resolve("alice.key.pem"),
            "--witness",
            "bob=" + keys.resolve("bob.key.pem"),
            "--allow-soft-driver",
            "--out",
            out.toString()));
    CliRun c = CliRun.run("", args.toArray(new String[0]));
    System.out.println(c.out());
    assertThat(c.exit()).as(c.toString()).isZero();
    assertThat(c.out()).contains("evidence digest:");
    evidence = out.resolve("evidence");
    artifact = out.resolve("fleet-artifact.json");
  }

  private static String appKey() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder()
            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private CliRun verify(Path evidenceDir, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "evidence",
                "verify",
                evidenceDir.toString(),
                "--artifact",
                artifact.toString(),
                "--witness",
                "alice=" + keys.resolve("alice.pub.pem"),
                "--witness",
                "bob=" + keys.resolve("bob.pub.pem")));
    a.addAll(List.of(extra));
    CliRun r = CliRun.run("", a.toArray(new String[0]));
    System.out.println(r.out() + r.stderr());
    return r;
  }

  private Path copyOfEvidence(String name) throws Exception {
    Path d = dir.resolve(name);
    try (var s = Files.walk(evidence)) {
      for (Path p : s.toList()) {
        Path t = d.resolve(evidence.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return d;
  }

  @Test
  void evidenceVerify_freshCeremonyOfThreeSoftMembers_verified() {
    CliRun r = verify(evidence, "--allow-soft-driver");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains(
            "PASS files: all",
            "PASS artifact evidence digest",
            "PASS statement dc1: signature",
            "PASS statement dc3: key sign (fleetvault.dc3.sign): generated on the device",
            "PASS witness alice",
            "PASS witness quorum: 2 distinct",
            "PASS artifact member dc2: keys match",
            "WARN statement dc1: key hpke (fleetvault.dc1.hpke): attestation: fleetvault-soft-dev-attestation-v1",
            "VERIFIED:");
  }

  @Test
  void evidenceVerify_softDriverWithoutDevelopmentPolicy_rejected() {
    CliRun r = verify(evidence);
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL statement dc1: hsm: keys are in the software driver", "REJECTED:");
  }

  @Test
  void evidenceVerify_tamperedStatementFile_rejectedNamingTheFile() throws Exception {
    Path d = copyOfEvidence("tampered");
    Path f = d.resolve("logs/dc2.ceremony.log");
    Files.writeString(f, Files.readString(f) + "one more line\n");
    CliRun r = verify(d, "--allow-soft-driver");
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL file logs/dc2.ceremony.log: SHA-256", "the file was changed", "REJECTED:");
  }

  @Test
  void evidenceVerify_extraFileNotInManifest_rejected() throws Exception {
    Path d = copyOfEvidence("extra");
    Files.writeString(d.resolve("statements/dc9.json"), "{}");
    CliRun r = verify(d, "--allow-soft-driver");
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL file statements/dc9.json: present but not listed in the manifest");
  }

  @Test
  void evidenceVerify_artifactWithOtherDigest_digestMismatch() throws Exception {
    String a = Files.readString(artifact);
    String digest = a.replaceAll("(?s).*\"evidence_digest\":\"([0-9a-f]{64})\".*", "$1");
    Path other = dir.resolve("other-artifact.json");
    Files.writeString(other, a.replace(digest, "00".repeat(32)));
    CliRun r =
        CliRun.run(
            "",
            "evidence",
            "verify",
            evidence.toString(),
            "--artifact",
            other.toString(),
            "--witness",
            "alice=" + keys.resolve("alice.pub.pem"),
            "--witness",
            "bob=" + keys.resolve("bob.pub.pem"),
            "--allow-soft-driver");
    System.out.println(r.out());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL artifact evidence digest: digest mismatch: the artifact says 0000", digest);
  }

  @Test
  void evidenceVerify_requiredWitnessDidNotSign_missingWitness() {
    CliRun r =
        verify(
            evidence, "--allow-soft-driver", "--witness", "carol=" + keys.resolve("carol.pub.pem"));
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains(
            "FAIL witness quorum: only 2 distinct trusted witnesses signed, 3 required; missing: [carol]");
  }

  @Test
  void evidenceVerify_signedByWitnessNotInPolicy_unknownWitness() {
    CliRun r =
        CliRun.run(
            "",
            "evidence",
            "verify",
            evidence.toString(),
            "--artifact",
            artifact.toString(),
            "--witness",
            "alice=" + keys.resolve("alice.pub.pem"),
            "--witness",
            "eve=" + keys.resolve("eve.pub.pem"),
            "--witnesses-required",
            "1",
            "--allow-soft-driver");
    System.out.println(r.out());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains("FAIL witness bob: unknown witness: not in the witness policy [alice, eve]");
  }

  @Test
  void evidenceVerify_oneWitnessKeyUnderTwoNames_countedOnce() {
    CliRun r =
        CliRun.run(
            "",
            "evidence",
            "verify",
            evidence.toString(),
            "--artifact",
            artifact.toString(),
            "--witness",
            "alice=" + keys.resolve("alice.pub.pem"),
            "--witness",
            "bob=" + keys.resolve("alice.pub.pem"),
            "--allow-soft-driver");
    System.out.println(r.out());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out())
        .contains(
            "FAIL witness bob: signed with a key that is not the policy's key for bob",
            "FAIL witness quorum: only 1 distinct trusted witnesses signed, 2 required");
  }

  @Test
  void combine_statementWithBrokenSignature_refusedNamingTheMember() throws Exception {
    Path sd = dir.resolve("forged");
    Files.createDirectories(sd);
    String s = Files.readString(dir.resolve("dc1-out/dc1.statement.json"));
    // Same statement, a different (valid-looking) member key: the signature no longer verifies.
    String other = Files.readString(dir.resolve("dc2-out/dc2.statement.json"));
    String sig2 = other.replaceAll("(?s)^\\{\"signature\":\"([^\"]+)\".*", "$1");
    Files.writeString(
        sd.resolve("dc1.statement.json"),
        s.replaceFirst("\"signature\":\"[^\"]+\"", "\"signature\":\"" + sig2 + "\""));
    CliRun r =
        CliRun.run(
            "",
            "ceremony",
            "combine",
            "--statements",
            sd.toString(),
            "--witness",
            "alice=" + keys.resolve("alice.key.pem"),
            "--allow-soft-driver",
            "--out",
            dir.resolve("forged-out").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.stderr())
        .contains("the signature of member dc1 does not verify (wrong member signature)");
    assertThat(dir.resolve("forged-out/evidence")).doesNotExist();
  }

  @Test
  void evidenceVerify_badWitnessOption_usage() {
    CliRun r = CliRun.run("", "evidence", "verify", evidence.toString(), "--witness", "alice");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--witness wants NAME=FILE");
  }

  @Test
  void ceremonyMember_unknownMember_usage() {
    CliRun r =
        CliRun.run(
            "",
            "ceremony",
            "member",
            "--config",
            dir.resolve("fleet.yaml").toString(),
            "--member",
            "dc7",
            "--out",
            dir.resolve("x").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("dc7");
    assertThat(new String(r.stdout(), StandardCharsets.UTF_8))
        .doesNotContain("passphrase for the soft driver");
  }
}
