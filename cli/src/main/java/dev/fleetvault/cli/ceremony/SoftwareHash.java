package dev.fleetvault.cli.ceremony;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 of the node software. With a distribution file (the reproducibly built archive) it is
 * that file's SHA-256. Without one it is a digest over the running class path: for each entry in
 * order, its file name and SHA-256 (a directory: every file's relative path and SHA-256, sorted),
 * one line each, hashed together — the same for two identical installs, different if any jar
 * differs.
 */
final class SoftwareHash {
  record Result(byte[] sha256, String source) {}

  private SoftwareHash() {}

  static Result of(Path distribution) throws IOException {
    if (distribution != null) {
      return new Result(hashFile(distribution), "file:" + distribution.getFileName());
    }
    StringBuilder lines = new StringBuilder();
    for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      Path p = Path.of(e);
      if (Files.isRegularFile(p)) {
        lines.append(p.getFileName()).append(' ').append(hex(hashFile(p))).append('\n');
      } else if (Files.isDirectory(p)) {
        List<String> inner = new ArrayList<>();
        try (Stream<Path> s = Files.walk(p)) {
          for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
            inner.add(p.relativize(f).toString().replace('\\', '/') + ' ' + hex(hashFile(f)));
          }
        }
        MessageDigest md = sha256();
        inner.forEach(l -> md.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
        lines
            .append("dir:")
            .append(p.getFileName())
            .append(' ')
            .append(hex(md.digest()))
            .append('\n');
      }
    }
    return new Result(
        sha256().digest(lines.toString().getBytes(StandardCharsets.UTF_8)), "classpath");
  }

  static byte[] hashFile(Path p) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
