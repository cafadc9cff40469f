package dev.fleetvault.cli.ceremony;

import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Bounded file reading and writing for the ceremony and evidence commands. */
final class EvidenceFiles {
  static final int MAX_FILE = 4 << 20;
  static final int MAX_FILES = 1000;
  static final long MAX_TOTAL = 64L << 20;

  private EvidenceFiles() {}

  /** A regular file (no symlink), at most {@link #MAX_FILE} bytes. */
  static byte[] read(Path p) {
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new CliException(ExitCodes.FAILURE, p + ": not a regular file");
    }
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(MAX_FILE + 1);
      if (b.length > MAX_FILE) {
        throw new CliException(ExitCodes.FAILURE, p + ": larger than " + MAX_FILE + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot read " + p + ": " + e.getMessage());
    }
  }

  /** Every regular file under {@code dir} by relative path ('/'-separated); symlinks refused. */
  static Map<String, byte[]> readTree(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new CliException(ExitCodes.FAILURE, dir + ": not a directory");
    }
    Map<String, byte[]> out = new TreeMap<>();
    long total = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          throw new CliException(
              ExitCodes.FAILURE, p + ": symbolic links are not allowed in an evidence package");
        }
        byte[] b = read(p);
        total += b.length;
        if (out.size() >= MAX_FILES || total > MAX_TOTAL) {
          throw new CliException(
              ExitCodes.FAILURE,
              dir + ": more than " + MAX_FILES + " files or " + MAX_TOTAL + " bytes");
        }
        out.put(dir.relativize(p).toString().replace('\\', '/'), b);
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot read " + dir + ": " + e.getMessage());
    }
    return out;
  }

  /** Writes a new file (never overwrites). */
  static void writeNew(Path p, byte[] b, boolean secret) {
    try {
      Files.createDirectories(p.toAbsolutePath().getParent());
      if (secret) {
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        Files.createFile(p, PosixFilePermissions.asFileAttribute(rw));
        Files.write(p, b, StandardOpenOption.TRUNCATE_EXISTING);
      } else {
        Files.write(p, b, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.FAILURE, p + " already exists; not overwritten");
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot write " + p + ": " + e.getMessage());
    }
  }

  static String sha256Hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static byte[] unpem(Path p, String type) {
    return unpem(read(p), p.toString(), type);
  }

  /**
   * The DER bytes of the PEM block {@code type} in {@code pem}; {@code what} names the source in
   * errors.
   */
  static byte[] unpem(byte[] pem, String what, String type) {
    String s = new String(pem, StandardCharsets.US_ASCII);
    String p = what;
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int a = s.indexOf(begin);
    int z = s.indexOf(end);
    if (a < 0 || z < a) {
      throw new CliException(ExitCodes.FAILURE, p + ": no PEM " + type + " block");
    }
    try {
      return Base64.getMimeDecoder().decode(s.substring(a + begin.length(), z));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.FAILURE, p + ": bad base64 in the PEM block");
    }
  }

  /** An Ed25519 private key from a PKCS#8 PEM file. */
  static PrivateKey ed25519Private(Path p) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(unpem(p, "PRIVATE KEY")));
    } catch (java.security.GeneralSecurityException e) {
      throw new CliException(ExitCodes.FAILURE, p + ": not an Ed25519 private key (PKCS#8 PEM)");
    }
  }

  /** An Ed25519 public key (SPKI DER bytes) from a PEM file. */
  static byte[] ed25519PublicSpki(Path p) {
    return ed25519PublicSpki(read(p), p.toString());
  }

  /**
   * An Ed25519 public key (SPKI DER bytes) from PEM bytes; {@code p} names the source in errors.
   */
  static byte[] ed25519PublicSpki(byte[] pem, String p) {
    byte[] der = unpem(pem, p, "PUBLIC KEY");
    try {
      PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      return k.getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new CliException(ExitCodes.FAILURE, p + ": not an Ed25519 public key (SPKI PEM)");
    }
  }

  /** Parses {@code NAME=PATH} options. */
  static Map<String, Path> namedPaths(List<String> specs, String option) {
    Map<String, Path> out = new TreeMap<>();
    for (String s : specs == null ? List.<String>of() : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1 || !s.substring(0, eq).matches("[A-Za-z0-9._-]{1,64}")) {
        throw new CliException(
            ExitCodes.USAGE, option + " wants NAME=FILE (name of [A-Za-z0-9._-]), got '" + s + "'");
      }
      if (out.put(s.substring(0, eq), Path.of(s.substring(eq + 1))) != null) {
        throw new CliException(
            ExitCodes.USAGE, option + ": witness '" + s.substring(0, eq) + "' given twice");
      }
    }
    return out;
  }

  /** Lists regular files in {@code dir} whose name ends with {@code suffix}. */
  static List<Path> list(Path dir, String suffix) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(
              p ->
                  p.getFileName().toString().endsWith(suffix)
                      && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot list " + dir + ": " + e.getMessage());
    }
    return out;
  }
}
