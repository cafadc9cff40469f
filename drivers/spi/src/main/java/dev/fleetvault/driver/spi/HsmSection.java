package dev.fleetvault.driver.spi;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.config.yaml.YamlMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code hsm:} section of a Fleetvault configuration file, read in one place for every file
 * that has one (a node's {@code nodes[].hsm}, the signer's configuration, an operator key file):
 *
 * <pre>
 * hsm:
 *   driver: soft                      # the driver id a provider answers to
 *   allowed_providers: [CLASS, ...]   # provider classes that may be instantiated (empty: built-ins)
 *   settings: {key: value, ...}       # the driver's own settings, checked by the driver
 *   workers: 0                        # node only: worker threads for HSM calls (0: the pool size)
 *   queue: 256                        # node only: calls allowed to wait beyond the workers
 *   timeout_ms: 10000                 # node only: how long one HSM call may take
 * </pre>
 *
 * <p>Guarantees: {@code driver} is required; {@code settings} holds single values only (String,
 * Long, Boolean; nested structures, empty values and integers in a form other than plain decimal
 * are refused); every bound below is enforced; every problem is a {@link ConfigException} naming
 * the file, line and key. The reader does not call {@link YamlMap#finish()}: the caller reads any
 * keys of its own (a node's {@code member_keys}) and then finishes the mapping, so an unknown key
 * is still refused. Immutable.
 *
 * @param driver the driver id ({@code soft}, {@code pkcs11}, {@code kmip}, a vendor's)
 * @param allowedProviders provider class names allowed to be instantiated (empty: the built-in
 *     ones)
 * @param settings the driver's own settings, handed to {@link DriverSettings#of}
 * @param workers worker threads for HSM calls; 0 means the driver's session-pool size
 * @param queue HSM calls allowed to wait beyond the workers
 * @param timeoutMs how long one HSM call may take
 */
public record HsmSection(
    String driver,
    List<String> allowedProviders,
    Map<String, Object> settings,
    int workers,
    int queue,
    int timeoutMs) {

  /** {@code workers} when absent: the driver's session-pool size. */
  public static final int DEFAULT_WORKERS = 0;

  /** {@code queue} when absent. */
  public static final int DEFAULT_QUEUE = 256;

  /** {@code timeout_ms} when absent. */
  public static final int DEFAULT_TIMEOUT_MS = 10_000;

  /** Copies the lists and maps (unmodifiable). */
  public HsmSection {
    allowedProviders = List.copyOf(allowedProviders);
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
  }

  /**
   * Reads a node's section: {@code driver}, {@code allowed_providers}, {@code settings}, {@code
   * workers} (0..1024), {@code queue} (0..100000) and {@code timeout_ms} (10..600000).
   */
  public static HsmSection read(YamlMap h) {
    String driver = h.string("driver");
    List<String> allowed = h.strings("allowed_providers");
    Map<String, Object> settings = h.plainScalars("settings");
    return new HsmSection(
        driver,
        allowed,
        settings,
        h.integer("workers", DEFAULT_WORKERS, 0, 1024),
        h.integer("queue", DEFAULT_QUEUE, 0, 100_000),
        h.integer("timeout_ms", DEFAULT_TIMEOUT_MS, 10, 600_000));
  }

  /**
   * Reads the section of a file that opens one key rather than serving calls (the signer's
   * configuration, an operator key file): {@code driver}, {@code allowed_providers} and {@code
   * settings} only; the pool keys are not accepted there and take their defaults.
   */
  public static HsmSection readKeyOnly(YamlMap h) {
    String driver = h.string("driver");
    List<String> allowed = h.strings("allowed_providers");
    Map<String, Object> settings = h.plainScalars("settings");
    return new HsmSection(
        driver, allowed, settings, DEFAULT_WORKERS, DEFAULT_QUEUE, DEFAULT_TIMEOUT_MS);
  }
}
