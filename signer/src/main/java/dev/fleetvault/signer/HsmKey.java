package dev.fleetvault.signer;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One signing key held in an HSM through the driver SPI (Ed25519 for the signer, ECDSA P-256 for
 * the operator), found by label or generated inside the device on first use. The private key never
 * leaves the driver. Blocking: call from worker threads.
 */
public final class HsmKey implements AutoCloseable {
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };
  private final HsmDriver driver;
  private final KeyHandle handle;
  private final KeySpec spec;

  private HsmKey(HsmDriver driver, KeyHandle handle, KeySpec spec) {
    this.driver = driver;
    this.handle = handle;
    this.spec = spec;
  }

  /**
   * Opens the key named by a key file: a strict YAML file with exactly {@code key_label} and an
   * {@code hsm:} section (the operator key of {@code fleetvault bundle}). Unknown keys are refused
   * with the file name; relative driver paths resolve against the file's directory.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the file is not such a YAML document
   */
  public static HsmKey openKeyFile(Path config, KeySpec spec, boolean create)
      throws IOException, HsmException {
    dev.fleetvault.signer.impl.StrictYaml y = dev.fleetvault.signer.impl.StrictYaml.load(config);
    y.rejectUnknown("key_label", "hsm");
    return open(
        y.section("hsm").raw(),
        config + ": hsm",
        config.toAbsolutePath().getParent(),
        y.string("key_label"),
        spec,
        create);
  }

  /**
   * Opens the driver described by an {@code hsm:} YAML section ({@code driver}, {@code
   * allowed_providers}, {@code settings}) and finds or generates the key.
   *
   * @param hsm the section
   * @param sourceName where the section came from, for error messages
   * @param baseDir directory relative paths in settings resolve against
   * @param label key label
   * @param spec {@link KeySpec#ED25519} or {@link KeySpec#EC_P256}
   * @param create generate the key if it is missing
   */
  @SuppressWarnings("unchecked")
  public static HsmKey open(
      Map<String, Object> hsm,
      String sourceName,
      Path baseDir,
      String label,
      KeySpec spec,
      boolean create)
      throws HsmException {
    Object allowed = hsm.get("allowed_providers");
    Object settings = hsm.get("settings");
    Object id = hsm.get("driver");
    for (String k : hsm.keySet()) {
      if (!List.of("driver", "allowed_providers", "settings").contains(k)) {
        throw DriverSettings.configError(
            sourceName, k, "unknown key (allowed: driver, allowed_providers, settings)");
      }
    }
    if (!(id instanceof String)
        || !(allowed instanceof List<?>)
        || !(settings instanceof Map<?, ?>)) {
      throw DriverSettings.configError(
          sourceName,
          "driver",
          "the hsm section needs driver (string), allowed_providers (list) and settings (map)");
    }
    Drivers drivers = Drivers.load((List<String>) allowed, sourceName + ".allowed_providers");
    HsmDriver d =
        drivers.open(
            (String) id,
            DriverSettings.of(sourceName + ".settings", (Map<String, ?>) settings, baseDir));
    try {
      KeyHandle h = d.findKey(label).orElse(null);
      if (h == null) {
        if (!create) {
          throw DriverSettings.configError(
              sourceName, "key_label", "no key labelled " + label + " in the HSM");
        }
        h = d.generateKey(spec, label);
      }
      if (h.spec() != spec) {
        throw DriverSettings.configError(
            sourceName, "key_label", "key " + label + " is " + h.spec() + ", expected " + spec);
      }
      return new HsmKey(d, h, spec);
    } catch (HsmException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** Signs (Ed25519: 64 raw bytes; EC_P256: SHA256withECDSA DER). */
  public byte[] sign(byte[] message) throws HsmException {
    return driver.sign(handle, message);
  }

  /** The public key. */
  public PublicKey publicKey() throws HsmException {
    return driver.publicKey(handle);
  }

  /** For an Ed25519 key: the 32-byte RFC 8032 public key. */
  public byte[] ed25519PublicKey() throws HsmException {
    if (spec != KeySpec.ED25519) {
      throw new IllegalStateException("not an Ed25519 key");
    }
    byte[] spki = publicKey().getEncoded();
    if (spki.length != 44 || !Arrays.equals(Arrays.copyOf(spki, 12), ED25519_SPKI_PREFIX)) {
      throw new IllegalStateException("unexpected Ed25519 public key encoding from the driver");
    }
    return Arrays.copyOfRange(spki, 12, 44);
  }

  /** The key's label. */
  public String label() {
    return handle.label();
  }

  @Override
  public void close() {
    driver.close();
  }
}
