package dev.fleetvault.driver.soft.impl;

import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.SecretChars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The soft driver's key file: a header (magic, Argon2id parameters, salt, nonce) followed by
 * AES-256-GCM ciphertext of the serialized keys, the header being the associated data. The file key
 * is derived once from the passphrase and held (wipeable) while the driver is open. Writes are
 * atomic: temp file in the same directory, fsync, rename, fsync of the directory.
 */
final class KeyFile implements AutoCloseable {

  private static final byte[] MAGIC = {'F', 'V', 'S', 'O', 'F', 'T', 0, 1};
  private static final int SALT_LEN = 16;
  private static final int NONCE_LEN = 12;
  private static final int HEADER_LEN = MAGIC.length + 12 + SALT_LEN + NONCE_LEN;
  private static final int MAX_FILE = 16 * 1024 * 1024;

  /** The soft driver's own "vendor" name for a failed key-file authentication. */
  static final String BAD_PASSPHRASE = "SOFT_BAD_PASSPHRASE";

  private final Path path;
  private final int memoryKib;
  private final int iterations;
  private final byte[] salt;
  private final byte[] fileKey;
  private final SecureRandom random;

  private KeyFile(
      Path path, int memoryKib, int iterations, byte[] salt, byte[] fileKey, SecureRandom random) {
    this.path = path;
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.salt = salt;
    this.fileKey = fileKey;
    this.random = random;
  }

  /** Creates a new, empty key file (fails if it exists). */
  static KeyFile create(
      Path path, SecretChars passphrase, int memoryKib, int iterations, SecureRandom random)
      throws HsmException {
    if (Files.exists(path)) {
      throw new HsmFatalException(HsmException.Kind.CONFIG, "key file " + path + " already exists");
    }
    byte[] salt = new byte[SALT_LEN];
    random.nextBytes(salt);
    KeyFile f =
        new KeyFile(
            path,
            memoryKib,
            iterations,
            salt,
            derive(passphrase, salt, memoryKib, iterations),
            random);
    f.write(List.of());
    return f;
  }

  /** Opens an existing key file and returns it with its decrypted keys. */
  static Opened open(Path path, SecretChars passphrase, SecureRandom random) throws HsmException {
    byte[] all;
    try {
      if (Files.size(path) > MAX_FILE) {
        throw new HsmFatalException(
            HsmException.Kind.CONFIG,
            "key file " + path + " is larger than " + MAX_FILE + " bytes");
      }
      all = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG, "cannot read key file " + path + ": " + e.getMessage(), e);
    }
    if (all.length < HEADER_LEN + 16 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG, "key file " + path + " is not a Fleetvault soft key file");
    }
    ByteBuffer b = ByteBuffer.wrap(all, MAGIC.length, HEADER_LEN - MAGIC.length);
    int memoryKib = b.getInt();
    int iterations = b.getInt();
    int parallelism = b.getInt();
    if (memoryKib < 8192
        || memoryKib > 4 * 1024 * 1024
        || iterations < 1
        || iterations > 20
        || parallelism != 1) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG, "key file " + path + " has unsupported KDF parameters");
    }
    byte[] salt = new byte[SALT_LEN];
    b.get(salt);
    byte[] nonce = new byte[NONCE_LEN];
    b.get(nonce);
    byte[] key = derive(passphrase, salt, memoryKib, iterations);
    byte[] plain = null;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(all, 0, HEADER_LEN);
      plain = c.doFinal(all, HEADER_LEN, all.length - HEADER_LEN);
      KeyFile f = new KeyFile(path, memoryKib, iterations, salt, key, random);
      return new Opened(f, decodeKeys(plain));
    } catch (AEADBadTagException e) {
      Arrays.fill(key, (byte) 0);
      throw new HsmFatalException(
          HsmException.Kind.AUTHENTICATION,
          "wrong passphrase for key file " + path + " (or the file was modified)",
          null,
          BAD_PASSPHRASE,
          null);
    } catch (GeneralSecurityException | IOException e) {
      Arrays.fill(key, (byte) 0);
      throw new HsmFatalException(
          HsmException.Kind.CONFIG,
          "key file " + path + " is corrupt: " + e.getClass().getSimpleName(),
          e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /** A key file and the keys it held. */
  record Opened(KeyFile file, List<SoftKey> keys) {}

  /** Replaces the file's content with {@code keys} (persistent ones only), atomically. */
  synchronized void write(List<SoftKey> keys) throws HsmException {
    byte[] plain = encodeKeys(keys);
    byte[] nonce = new byte[NONCE_LEN];
    random.nextBytes(nonce);
    ByteBuffer header = ByteBuffer.allocate(HEADER_LEN);
    header.put(MAGIC).putInt(memoryKib).putInt(iterations).putInt(1).put(salt).put(nonce);
    byte[] out;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(fileKey, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(header.array());
      byte[] ct = c.doFinal(plain);
      out = new byte[HEADER_LEN + ct.length];
      System.arraycopy(header.array(), 0, out, 0, HEADER_LEN);
      System.arraycopy(ct, 0, out, HEADER_LEN, ct.length);
    } catch (GeneralSecurityException e) {
      throw new HsmFatalException(HsmException.Kind.DEVICE_ERROR, "cannot encrypt key file", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    writeAtomically(out);
  }

  private void writeAtomically(byte[] content) throws HsmException {
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = dir.resolve(path.getFileName() + ".tmp-" + HexFormat.of().formatHex(nonceForName()));
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bb = ByteBuffer.wrap(content);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system cannot rename atomically in " + dir, e);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // Some platforms cannot fsync a directory; the rename itself is still atomic.
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new HsmFatalException(
          HsmException.Kind.DEVICE_ERROR,
          "cannot write key file " + path + ": " + e.getMessage(),
          e);
    }
  }

  private byte[] nonceForName() {
    byte[] b = new byte[6];
    random.nextBytes(b);
    return b;
  }

  /** A stable, non-secret identifier of this key file (hex of its salt). */
  String fileId() {
    return HexFormat.of().formatHex(salt);
  }

  int memoryKib() {
    return memoryKib;
  }

  int iterations() {
    return iterations;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    Arrays.fill(fileKey, (byte) 0);
  }

  private static byte[] derive(SecretChars passphrase, byte[] salt, int memoryKib, int iterations) {
    Argon2Parameters p =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(1)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(p);
    byte[] out = new byte[32];
    char[] pw = passphrase.copyChars();
    try {
      g.generateBytes(pw, out);
    } finally {
      Arrays.fill(pw, '\0');
    }
    return out;
  }

  private static byte[] encodeKeys(List<SoftKey> keys) throws HsmFatalException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bos)) {
      List<SoftKey> persistent = keys.stream().filter(SoftKey::persistent).toList();
      out.writeInt(persistent.size());
      for (SoftKey k : persistent) {
        out.writeUTF(k.handle().label());
        out.writeUTF(k.spec().name());
        out.writeUTF(k.handle().keyId());
        byte[] secret = k.secret().getEncoded();
        out.writeInt(secret.length);
        out.write(secret);
        Arrays.fill(secret, (byte) 0);
        byte[] pub = k.publicKey() == null ? new byte[0] : k.publicKey().getEncoded();
        out.writeInt(pub.length);
        out.write(pub);
      }
    } catch (IOException e) {
      throw new HsmFatalException(HsmException.Kind.DEVICE_ERROR, "cannot serialize keys", e);
    }
    return bos.toByteArray();
  }

  private static List<SoftKey> decodeKeys(byte[] plain)
      throws IOException, GeneralSecurityException {
    List<SoftKey> keys = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String label = in.readUTF();
        KeySpec spec = KeySpec.valueOf(in.readUTF());
        String id = in.readUTF();
        byte[] secret = readBlock(in);
        byte[] pub = readBlock(in);
        try {
          keys.add(decodeKey(KeyHandle.of(label, spec, id), secret, pub));
        } finally {
          Arrays.fill(secret, (byte) 0);
        }
      }
    }
    return keys;
  }

  private static byte[] readBlock(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > 64 * 1024) {
      throw new IOException("bad block length");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  private static SoftKey decodeKey(KeyHandle h, byte[] secret, byte[] pub)
      throws GeneralSecurityException {
    if (h.spec() == KeySpec.AES_256) {
      Key k = new SecretKeySpec(secret, "AES");
      return new SoftKey(h, k, null, true);
    }
    String alg = SoftAlgorithms.keyFactoryAlgorithm(h.spec());
    KeyFactory kf = KeyFactory.getInstance(alg);
    Key priv = kf.generatePrivate(new PKCS8EncodedKeySpec(secret));
    PublicKey pk = kf.generatePublic(new X509EncodedKeySpec(pub));
    return new SoftKey(h, priv, pk, true);
  }
}
