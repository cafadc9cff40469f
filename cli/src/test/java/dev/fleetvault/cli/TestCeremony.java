package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A key ceremony of soft-driver members run through the CLI (member steps, two witnesses alice and
 * bob, combine), for tests that need a real evidence package and its fleet artifact. Several
 * ceremonies in one directory share the members' data (keys of a member that already has them are
 * reused, as in a real re-ceremony).
 */
final class TestCeremony {
  final Path dir;
  final Path keys;

  TestCeremony(Path dir) throws Exception {
    this.dir = dir;
    Files.writeString(dir.resolve("soft-passphrase.txt"), "test passphrase for the soft driver\n");
    Files.writeString(dir.resolve("dist.tar"), "stand-in for the reproducible node distribution\n");
    Files.writeString(dir.resolve("app.pub.pem"), appKey());
    keys = dir.resolve("witnesses");
    for (String w : List.of("alice", "bob", "eve")) {
      CliRun r = CliRun.run("", "ceremony", "witness-key", "--name", w, "--out", keys.toString());
      assertThat(r.exit()).as(r.toString()).isZero();
    }
  }

  /** The result of one ceremony: the evidence package directory and the fleet artifact file. */
  record Result(Path evidence, Path artifact) {}

  /** Runs a ceremony of members dc1..dcN for {@code epoch}; output under {@code dir/name}. */
  Result run(String name, int members, long epoch) throws Exception {
    StringBuilder y =
        new StringBuilder(
            "version: 1\ndevelopment: true\ndata_root: data\nfleet:\n  id: cer\n  members:\n");
    for (int i = 1; i <= members; i++) {
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
    for (int i = 1; i <= members; i++) {
      y.append("  - member: dc")
          .append(i)
          .append("\n    hsm:\n      driver: soft\n")
          .append("      allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n")
          .append(
              "      timeout_ms: 10000\n      settings:\n        key_file: ${data_dir}/soft-hsm.keys\n")
          .append("        passphrase_file: ${config_dir}/soft-passphrase.txt\n")
          .append("        kdf_memory_kib: 8192\n        kdf_iterations: 1\n");
    }
    Path cfg = dir.resolve(name + ".yaml");
    Files.writeString(cfg, y.toString());
    List<String> args = new ArrayList<>(List.of("ceremony", "combine", "--statements"));
    for (int i = 1; i <= members; i++) {
      Path sd = dir.resolve(name + "-dc" + i);
      CliRun r =
          CliRun.run(
              "",
              "ceremony",
              "member",
              "--config",
              cfg.toString(),
              "--member",
              "dc" + i,
              "--epoch",
              Long.toString(epoch),
              "--out",
              sd.toString(),
              "--software",
              dir.resolve("dist.tar").toString());
      assertThat(r.exit()).as(r.toString()).isZero();
      args.add(sd.toString());
    }
    Path out = dir.resolve(name);
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
    assertThat(c.exit()).as(c + c.out()).isZero();
    return new Result(out.resolve("evidence"), out.resolve("fleet-artifact.json"));
  }

  /** {@code --witness alice=… --witness bob=…} with the public key files. */
  List<String> witnessArgs() {
    return List.of(
        "--witness",
        "alice=" + keys.resolve("alice.pub.pem"),
        "--witness",
        "bob=" + keys.resolve("bob.pub.pem"));
  }

  /** A copy of a package directory under a new name. */
  Path copy(Path evidence, String name) throws Exception {
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

  private static String appKey() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder()
            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
