package dev.fleetvault.gateway.member.impl;

import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * One wrapped member key on disk: a small JSON file {@code
 * {"format":"fleetvault.wrapped_member_key.v1","fleet":..,"member":..,"label":..,
 * "seal_key":..,"public":<base64 SPKI>,"sealed":<base64 HSM seal output>}}. The file holds no
 * plaintext key material: {@code sealed} is the PKCS#8 private key sealed by the HSM with
 * associated data {@link #aad} binding format, fleet, member, key label and the public key.
 *
 * <p>Written atomically (temporary file, fsync, rename, fsync of the directory), owner-only
 * permissions where the file system supports them; an existing file is never overwritten.
 *
 * @param fleet the fleet id
 * @param member the member id
 * @param label the key's label, e.g. {@code fleetvault.dc1.hpke}
 * @param sealKey the label of the HSM key that sealed it
 * @param publicKey the public key, X.509 SubjectPublicKeyInfo DER
 * @param sealed the sealed PKCS#8 private key
 */
public record SealedKeyFile(
    String fleet, String member, String label, String sealKey, byte[] publicKey, byte[] sealed) {
  /** The format tag (also the first field of the associated data). */
  public static final String FORMAT = "fleetvault.wrapped_member_key.v1";

  private static final int MAX_BYTES = 16 * 1024;

  /** Defensive copies. */
  public SealedKeyFile {
    publicKey = publicKey.clone();
    sealed = sealed.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] sealed() {
    return sealed.clone();
  }

  /**
   * The associated data for sealing this key: format, fleet, member, label and public key, each
   * length-prefixed (2 bytes, big-endian), so a blob opens only for exactly this binding.
   */
  public static byte[] aad(String fleet, String member, String label, byte[] publicKey) {
    byte[][] parts = {bytes(FORMAT), bytes(fleet), bytes(member), bytes(label), publicKey};
    int n = 0;
    for (byte[] p : parts) {
      n += 2 + p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.putShort((short) p.length).put(p);
    }
    return b.array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads {@code file}; empty if it does not exist. Malformed content -> INTEGRITY. */
  public static Optional<SealedKeyFile> read(Path file) throws HsmException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw corrupt(file, "larger than " + MAX_BYTES + " bytes");
      }
      JsonObject j = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      if (!FORMAT.equals(j.getString("format"))) {
        throw corrupt(file, "format is not " + FORMAT);
      }
      Base64.Decoder d = Base64.getDecoder();
      return Optional.of(
          new SealedKeyFile(
              required(j, "fleet", file),
              required(j, "member", file),
              required(j, "label", file),
              required(j, "seal_key", file),
              d.decode(required(j, "public", file)),
              d.decode(required(j, "sealed", file))));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      throw corrupt(file, "not a wrapped member key file (" + e.getClass().getSimpleName() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String required(JsonObject j, String key, Path file) throws HsmException {
    String v = j.getString(key);
    if (v == null) {
      throw corrupt(file, "missing '" + key + "'");
    }
    return v;
  }

  private static HsmException corrupt(Path file, String why) {
    return new HsmFatalException(
        HsmException.Kind.INTEGRITY, "wrapped member key file " + file + " is corrupt: " + why);
  }

  /** Writes this to {@code file} atomically; fails if {@code file} exists. */
  public void writeNew(Path file) {
    JsonObject j =
        new JsonObject()
            .put("format", FORMAT)
            .put("fleet", fleet)
            .put("member", member)
            .put("label", label)
            .put("seal_key", sealKey)
            .put("public", Base64.getEncoder().encodeToString(publicKey))
            .put("sealed", Base64.getEncoder().encodeToString(sealed));
    byte[] content = (j.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve(file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      try {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException noPosix) {
        Files.createFile(tmp);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException | UnsupportedOperationException dirSyncUnsupported) {
        // some platforms cannot fsync a directory; the rename is still atomic
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  @Override
  public String toString() {
    return "SealedKeyFile[" + fleet + "/" + member + "/" + label + " sealed by " + sealKey + "]";
  }
}
