package dev.fleetvault.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * The HSM a node is bound to: the {@code hsm:} section as read by the SPI's {@link
 * dev.fleetvault.driver.spi.HsmSection} (the one parser of that section), plus the node's own
 * {@code member_keys}.
 *
 * @param driver the driver id ({@code soft}, {@code pkcs11}, {@code kmip})
 * @param allowedProviders provider class names allowed to be loaded (empty: the built-in ones)
 * @param settings the driver's own settings, checked strictly by the driver; credentials only as
 *     {@code <key>_file} or {@code <key>_env}; relative paths are against the node's data dir
 * @param workers worker threads for HSM calls; 0 means the driver's session-pool size
 * @param queue HSM calls allowed to wait beyond the workers before RESOURCE_EXHAUSTED
 * @param timeoutMs how long one HSM call may take before the request fails
 * @param memberKeys where the member's EC keys live ({@code member_keys}, default in_hsm)
 */
public record HsmSpec(
    String driver,
    List<String> allowedProviders,
    Map<String, Object> settings,
    int workers,
    int queue,
    int timeoutMs,
    MemberKeyMode memberKeys) {

  /** The node's view of a section read by {@link dev.fleetvault.driver.spi.HsmSection#read}. */
  public static HsmSpec of(dev.fleetvault.driver.spi.HsmSection section, MemberKeyMode memberKeys) {
    return new HsmSpec(
        section.driver(),
        section.allowedProviders(),
        section.settings(),
        section.workers(),
        section.queue(),
        section.timeoutMs(),
        memberKeys);
  }

  /** An HSM section with the default member-key mode ({@link MemberKeyMode#IN_HSM}). */
  public HsmSpec(
      String driver,
      List<String> allowedProviders,
      Map<String, Object> settings,
      int workers,
      int queue,
      int timeoutMs) {
    this(driver, allowedProviders, settings, workers, queue, timeoutMs, MemberKeyMode.IN_HSM);
  }
}
