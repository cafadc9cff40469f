package dev.fleetvault.gateway.driver;

import dev.fleetvault.driver.spi.DriverPath;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.gateway.config.MemberKeyMode;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.member.impl.MemberKeyPolicy;
import dev.fleetvault.gateway.member.impl.WrappedKeyStore;
import dev.fleetvault.gateway.member.impl.WrappedKeysDriver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a node's HSM driver from its {@code hsm} section: loads only the allowed provider classes,
 * substitutes {@code ${data_dir}} (the node's data directory) and {@code ${config_dir}} (the config
 * file's directory) in string settings, and hands the rest to the driver, which checks its own keys
 * strictly. Blocking.
 *
 * <p>Guarantees: no provider class outside {@code hsm.allowed_providers} is instantiated; a failure
 * names the setting or provider that caused it; shared by the node and the CLI ({@code fleetvault
 * drivers}, ceremonies) so both open a driver the same way.
 */
public final class DriverOpener {
  /** Providers allowed when the config names none. */
  public static final List<String> BUILT_IN =
      List.of(
          "dev.fleetvault.driver.soft.SoftDriverProvider",
          "dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider",
          "dev.fleetvault.driver.kmip.KmipDriverProvider");

  private DriverOpener() {}

  /**
   * Opens the driver; configuration problems are HsmFatalException of kind CONFIG. Then checks that
   * {@code hsm.member_keys} fits the device ({@link MemberKeyPolicy}; a misfit is a {@link
   * dev.fleetvault.config.yaml.ConfigException}) and, for {@code wrapped}, returns the driver
   * behind a {@link WrappedKeysDriver} that keeps the member's EC keys sealed by it.
   */
  public static HsmDriver open(NodeConfig config, NodeSpec node) throws HsmException {
    Path configDir = config.source().getParent();
    String where = config.source() + ": nodes[" + node.member() + "].hsm";
    List<String> allowed =
        node.hsm().allowedProviders().isEmpty() ? BUILT_IN : node.hsm().allowedProviders();
    Map<String, Object> values = new LinkedHashMap<>();
    node.hsm()
        .settings()
        .forEach(
            (k, v) ->
                values.put(
                    k,
                    v instanceof String
                        ? ((String) v)
                            .replace("${data_dir}", node.dataDir().toString())
                            .replace("${config_dir}", configDir.toString())
                        : v));
    Drivers drivers = Drivers.load(DriverPath.loader(), allowed, where + ".allowed_providers");
    HsmDriver driver =
        drivers.open(
            node.hsm().driver(), DriverSettings.of(where + ".settings", values, configDir));
    try {
      MemberKeyPolicy.check(driver, node.hsm().memberKeys(), where);
    } catch (RuntimeException e) {
      driver.close();
      throw e;
    }
    return node.hsm().memberKeys() == MemberKeyMode.WRAPPED
        ? new WrappedKeysDriver(
            driver, new WrappedKeyStore(driver, config.fleetId(), node.member(), node.dataDir()))
        : driver;
  }
}
