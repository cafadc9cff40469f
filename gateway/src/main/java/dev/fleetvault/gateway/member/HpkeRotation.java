package dev.fleetvault.gateway.member;

import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.interfaces.ECPublicKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The member's current HPKE key across fleet rotations. The first key is {@code
 * fleetvault.<member>.hpke} ({@link MemberKeys}); each rotation generates {@code
 * fleetvault.<member>.hpke.<n>} (n = 2, 3, ...) inside the HSM and records that label in {@code
 * <data_dir>/hpke-key-label} (written atomically), so a restarted node keeps the key its fleet's
 * latest bundle names. Old keys stay in the HSM (retiring them is an HSM administration step).
 * Blocking: call on a worker thread.
 */
public final class HpkeRotation {
  /** The file, under the node's data directory, naming the current HPKE key label. */
  public static final String LABEL_FILE = "hpke-key-label";

  private static final Pattern GENERATION = Pattern.compile(".*\\.hpke\\.(\\d{1,9})");

  private HpkeRotation() {}

  /** {@code keys} with the HPKE key recorded by the last rotation, if any. */
  public static MemberKeys current(HsmDriver driver, Path dataDir, MemberKeys keys)
      throws IOException, HsmException {
    Path file = dataDir.resolve(LABEL_FILE);
    if (!Files.exists(file)) {
      return keys;
    }
    String label = Files.readString(file, StandardCharsets.UTF_8).trim();
    KeyHandle h =
        driver
            .findKey(label)
            .orElseThrow(
                () ->
                    new IOException(
                        file + " names HPKE key " + label + ", which the HSM does not hold"));
    return with(driver, keys, h);
  }

  /** Generates the next HPKE key of {@code memberId}, records it, returns the keys with it. */
  public static MemberKeys rotate(HsmDriver driver, Path dataDir, String memberId, MemberKeys keys)
      throws IOException, HsmException {
    Matcher m = GENERATION.matcher(keys.hpke().label());
    int next = m.matches() ? Integer.parseInt(m.group(1)) + 1 : 2;
    String label = "fleetvault." + memberId + ".hpke." + next;
    KeyHandle h =
        driver.findKey(label).isPresent()
            ? driver.findKey(label).get()
            : driver.generateKey(KeySpec.EC_P256, label);
    MemberKeys rotated = with(driver, keys, h);
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve(LABEL_FILE + ".tmp");
    Files.writeString(tmp, label + "\n", StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dataDir.resolve(LABEL_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return rotated;
  }

  private static MemberKeys with(HsmDriver driver, MemberKeys keys, KeyHandle hpke)
      throws HsmException {
    byte[] point = P256Points.encodeUncompressed((ECPublicKey) driver.publicKey(hpke));
    return new MemberKeys(hpke, keys.sign(), keys.seal(), point, keys.signPublic());
  }
}
