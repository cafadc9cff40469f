package dev.fleetvault.signer;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.config.yaml.StrictYaml;
import dev.fleetvault.config.yaml.YamlMap;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmSection;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;

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
    String label;
    HsmSection hsm;
    try {
      YamlMap y = StrictYaml.parse(config);
      label = y.string("key_label");
      if (label.isEmpty()) {
        throw y.errorAt("key_label", "required non-empty string");
      }
      YamlMap h = y.map("hsm");
      hsm = HsmSection.readKeyOnly(h);
      h.finish();
      y.finish();
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return open(hsm, config + ": hsm", config.toAbsolutePath().getParent(), label, spec, create);
  }

  /**
   * Opens the driver described by an {@code hsm:} section (read by {@link HsmSection}) and finds or
   * generates the key.
   *
   * @param hsm the section
   * @param sourceName where the section came from, for error messages
   * @param baseDir directory relative paths in settings resolve against
   * @param label key label
   * @param spec {@link KeySpec#ED25519} or {@link KeySpec#EC_P256}
   * @param create generate the key if it is missing
   */
  public static HsmKey open(
      HsmSection hsm, String sourceName, Path baseDir, String label, KeySpec spec, boolean create)
      throws HsmException {
    Drivers drivers = Drivers.load(hsm.allowedProviders(), sourceName + ".allowed_providers");
    HsmDriver d =
        drivers.open(
            hsm.driver(), DriverSettings.of(sourceName + ".settings", hsm.settings(), baseDir));
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
