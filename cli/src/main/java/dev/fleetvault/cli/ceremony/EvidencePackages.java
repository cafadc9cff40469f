package dev.fleetvault.cli.ceremony;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads evidence packages from disk for other commands, with the same bounds as {@code evidence
 * verify}.
 */
public final class EvidencePackages {
  private EvidencePackages() {}

  /**
   * Every regular file under {@code dir} by relative path; symbolic links refused; at most 1000
   * files, 4 MiB each, 64 MiB in all.
   *
   * @throws dev.fleetvault.cli.CliException when the directory breaks a bound or cannot be read
   */
  public static Map<String, byte[]> readTree(Path dir) {
    return EvidenceFiles.readTree(dir);
  }
}
