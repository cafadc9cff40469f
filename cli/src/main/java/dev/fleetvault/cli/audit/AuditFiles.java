package dev.fleetvault.cli.audit;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.cli.impl.InputFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Reading and writing the files these commands use (trust file, verifier state, artifacts). */
final class AuditFiles {
  /** Default trust file: {@code <fleetvault home or .>/data/fleet/trust.json}. */
  static final String DEFAULT_TRUST = "data/fleet/trust.json";

  /** Default verifier state of the CLI. */
  static final String DEFAULT_STATE = "data/fleet/bundle-state.json";

  /**
   * Largest trust, state, bundle or artifact file read (they are a few KiB; a bundle is at most 64
   * KiB).
   */
  static final int MAX_FILE_BYTES = 1 << 20;

  private AuditFiles() {}

  static Path resolve(String p) {
    Path path = Path.of(p);
    if (path.isAbsolute() || Files.exists(path)) {
      return path;
    }
    String home = System.getProperty("fleetvault.home");
    return home == null ? path : Path.of(home).resolve(path);
  }

  static TrustAnchors trust(String file) {
    Path p = resolve(file);
    try {
      return TrustAnchors.parse(InputFiles.readSmall(p, "--trust", MAX_FILE_BYTES));
    } catch (CliException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "cannot read the trust file "
              + p
              + " ("
              + e.getMessage()
              + "); pass --trust FILE (written by `fleetvault up` or `fleetvault bundle trust`)");
    } catch (FormatException e) {
      throw new CliException(ExitCodes.USAGE, "bad trust file " + p + ": " + e.getMessage());
    }
  }

  static VerifierState state(Path p) {
    if (!Files.exists(p)) {
      return VerifierState.initial();
    }
    try {
      return VerifierState.parse(InputFiles.readSmall(p, "--state", MAX_FILE_BYTES));
    } catch (CliException | FormatException e) {
      throw new CliException(
          ExitCodes.FAILURE, "bad verifier state file " + p + ": " + e.getMessage());
    }
  }

  /** Writes atomically: temp file, fsync, rename. */
  static void writeAtomically(Path p, byte[] data) {
    try {
      Path dir = p.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, p.getFileName().toString(), ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(data));
        ch.force(true);
      }
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot write " + p + ": " + e.getMessage());
    }
  }

  /**
   * Reads a bundle, artifact or similar JSON document: a regular file of at most {@link
   * #MAX_FILE_BYTES} (a device or FIFO is refused before it is opened, so /dev/zero cannot exhaust
   * memory and a FIFO nobody writes cannot hang the command).
   */
  static byte[] read(Path p) {
    return InputFiles.readSmall(p, "file", MAX_FILE_BYTES);
  }

  /**
   * Reads an artifact written by hand or by a tool: any strict JSON, re-encoded canonically and
   * validated.
   */
  static FleetArtifact artifact(Path p) {
    try {
      return FleetArtifact.parse(CanonicalJson.encode(CanonicalJson.parse(read(p))));
    } catch (FormatException e) {
      throw new CliException(ExitCodes.USAGE, "bad fleet artifact " + p + ": " + e.getMessage());
    }
  }

  /** Every artifact (*.json) in a directory, by lowercase-hex digest of its canonical form. */
  static Map<String, byte[]> artifacts(Path dir) {
    Map<String, byte[]> out = new HashMap<>();
    if (dir == null) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".json"))::iterator) {
        FleetArtifact a = artifact(p);
        out.put(Codec.hex(a.digest()), a.toCanonicalJson());
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "cannot list " + dir + ": " + e.getMessage());
    }
    return out;
  }
}
