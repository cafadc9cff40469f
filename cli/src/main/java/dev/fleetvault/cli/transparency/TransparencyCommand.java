package dev.fleetvault.cli.transparency;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.evidence.EvidenceManifest;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.signer.SignerClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fleetvault transparency build}: the static transparency site of every published fleet
 * epoch.
 */
@Command(
    name = "transparency",
    mixinStandardHelpOptions = true,
    header = "Build the static transparency site.",
    subcommands = {TransparencyCommand.BuildCmd.class})
public final class TransparencyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: build");
  }

  /** {@code transparency build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      header =
          "Write a static site (HTML + CSS, no scripts) of every fleet epoch the signer logged.",
      description =
          "Inputs: the signer (--signer URL: every epoch's bundle and the latest checkpoint), the evidence"
              + " packages (--evidence DIR: a package directory, or a directory of them; each is matched to the epoch"
              + " whose artifact carries its digest), the trust file and the ceremony witnesses' public keys. The"
              + " signer serves the site from its transparency_dir at /transparency/.")
  static final class BuildCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--signer",
        required = true,
        paramLabel = "URL",
        description = "the signer's base URL")
    URI signer;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "output directory (replaced if an earlier build made it)")
    Path out;

    @Option(
        names = "--evidence",
        paramLabel = "DIR",
        description = "an evidence package, or a directory of packages; repeatable")
    List<Path> evidence;

    @Option(
        names = "--witness",
        paramLabel = "NAME=PUBFILE",
        description = "a ceremony witness's public key to publish; repeatable")
    List<String> witnesses;

    @Option(
        names = "--trust",
        paramLabel = "FILE",
        required = true,
        description = "the trust file apps pin (published as trust.json)")
    Path trust;

    @Option(
        names = "--base-url",
        paramLabel = "URL",
        description =
            "where the site will be served (e.g. https://signer.example/transparency/), used in the printed commands")
    String baseUrl;

    @Override
    public Integer call() {
      TrustAnchors t;
      try {
        t = TrustAnchors.parse(Files.readAllBytes(trust));
      } catch (IOException | FormatException e) {
        throw new CliException(ExitCodes.USAGE, "bad trust file " + trust + ": " + e.getMessage());
      }
      if (baseUrl != null && !baseUrl.matches("https?://[^\\s\"'<>]+/")) {
        throw new CliException(ExitCodes.USAGE, "--base-url must be an http(s) URL ending in /");
      }
      Map<String, byte[]> ws = new TreeMap<>();
      for (String w : witnesses == null ? List.<String>of() : witnesses) {
        int eq = w.indexOf('=');
        if (eq <= 0 || !w.substring(0, eq).matches("[A-Za-z0-9._-]{1,64}")) {
          throw new CliException(ExitCodes.USAGE, "--witness wants NAME=FILE, got '" + w + "'");
        }
        ws.put(w.substring(0, eq), readSmall(Path.of(w.substring(eq + 1))));
      }
      Map<String, Map<String, byte[]>> packages =
          EvidenceDirs.load(evidence == null ? List.of() : evidence);
      try {
        SiteInput in = SignerEpochs.fetch(new SignerClient(signer), t, ws, packages, baseUrl);
        SiteBuilder.build(in, out);
        PrintWriter o = spec.commandLine().getOut();
        long withEvidence = in.epochs().stream().filter(e -> !e.evidence().isEmpty()).count();
        o.println(
            "wrote "
                + out
                + ": "
                + in.epochs().size()
                + " epochs ("
                + withEvidence
                + " with evidence), open "
                + out.resolve("index.html"));
        o.flush();
        return ExitCodes.OK;
      } catch (SignerClient.SignerClientException e) {
        throw new CliException(ExitCodes.FAILURE, "the signer refused: " + e.getMessage());
      } catch (IOException e) {
        throw new CliException(ExitCodes.UNAVAILABLE, "cannot build the site: " + e.getMessage());
      } catch (FormatException e) {
        throw new CliException(
            ExitCodes.FAILURE, "the signer served a malformed bundle: " + e.getMessage());
      }
    }

    private static byte[] readSmall(Path p) {
      try {
        if (Files.size(p) > 64 * 1024) {
          throw new CliException(ExitCodes.USAGE, p + ": too large for a public key file");
        }
        return Files.readAllBytes(p);
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "cannot read " + p + ": " + e.getMessage());
      }
    }
  }

  /** Every epoch from a signer. */
  static final class SignerEpochs {
    private SignerEpochs() {}

    static SiteInput fetch(
        SignerClient c,
        TrustAnchors t,
        Map<String, byte[]> witnesses,
        Map<String, Map<String, byte[]>> packages,
        String baseUrl)
        throws IOException {
      List<SiteInput.Epoch> epochs = new java.util.ArrayList<>();
      for (long e : c.epochs(FleetArtifact.NAMESPACE)) {
        Bundle b = c.bundle(FleetArtifact.NAMESPACE, e);
        FleetArtifact a = FleetArtifact.parse(b.artifact());
        String d =
            a.evidenceDigest().length == 0
                ? ""
                : java.util.HexFormat.of().formatHex(a.evidenceDigest());
        epochs.add(new SiteInput.Epoch(b, packages.getOrDefault(d, Map.of())));
      }
      return new SiteInput(t, c.checkpoint(), witnesses, epochs, baseUrl);
    }
  }

  /** Evidence packages from directories, by digest (SHA-256 of the manifest, hex). */
  static final class EvidenceDirs {
    private EvidenceDirs() {}

    static Map<String, Map<String, byte[]>> load(List<Path> dirs) {
      Map<String, Map<String, byte[]>> out = new TreeMap<>();
      for (Path d : dirs) {
        if (Files.isRegularFile(d.resolve(EvidenceManifest.PATH))) {
          add(out, d);
          continue;
        }
        try (var s = Files.list(d)) {
          for (Path sub : s.sorted().toList()) {
            if (Files.isRegularFile(sub.resolve(EvidenceManifest.PATH))) {
              add(out, sub);
            }
          }
        } catch (IOException e) {
          throw new CliException(ExitCodes.USAGE, "cannot list " + d + ": " + e.getMessage());
        }
      }
      return out;
    }

    private static void add(Map<String, Map<String, byte[]>> out, Path d) {
      Map<String, byte[]> files = dev.fleetvault.cli.ceremony.EvidencePackages.readTree(d);
      try {
        String digest =
            java.util.HexFormat.of()
                .formatHex(EvidenceManifest.parse(files.get(EvidenceManifest.PATH)).digest());
        out.put(digest, files);
      } catch (FormatException e) {
        throw new CliException(ExitCodes.FAILURE, d + ": malformed manifest: " + e.getMessage());
      }
    }
  }
}
