package dev.fleetvault.gateway.ports;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who listens on a TCP port, from Linux's {@code /proc/net/tcp{,6}} and {@code /proc/<pid>/fd}:
 * {@code "pid 123 (java)"}. Best effort: empty on other systems, or when the owner's {@code /proc}
 * entries cannot be read (another user's process without privileges).
 */
public final class PortOwners {
  private static final String LISTEN = "0A";

  private PortOwners() {}

  /** The process listening on {@code port}, if it can be found. */
  public static Optional<String> describe(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length < 10 || !f[3].equals(LISTEN)) {
            continue;
          }
          String local = f[1];
          int colon = local.lastIndexOf(':');
          if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
            inodes.add(f[9]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or not readable
      }
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")
                && inodes.contains(target.substring(8, target.length() - 1))) {
              String comm = Files.readString(proc.resolve("comm")).trim();
              return Optional.of("pid " + proc.getFileName() + " (" + comm + ")");
            }
          }
        } catch (IOException | RuntimeException e) {
          // process gone or not ours to read
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
