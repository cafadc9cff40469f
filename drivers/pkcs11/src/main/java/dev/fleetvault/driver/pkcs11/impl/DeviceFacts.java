package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.pkcs11.Pkcs11Config;
import dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmException;
import java.security.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link DeviceInfo} from the token's and library's own info (CK_TOKEN_INFO, CK_INFO) where
 * readable.
 */
final class DeviceFacts {

  private DeviceFacts() {}

  static DeviceInfo describe(Pkcs11Config config, Provider provider, long slotId, boolean wrapper) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("library", config.library().toString());
    details.put(
        "provider", provider.getName() + " (JDK " + System.getProperty("java.version") + ")");
    if (wrapper && slotId >= 0) {
      try {
        WrapperAccess.TokenFacts t = WrapperAccess.token(config.library(), slotId);
        WrapperAccess.LibraryFacts l = WrapperAccess.library(config.library());
        details.put("slot", Long.toString(slotId));
        details.put("token_label", t.label());
        details.put("hardware_version", t.hardwareVersion());
        details.put("cryptoki_version", l.cryptokiVersion());
        details.put("library_description", l.description());
        return new DeviceInfo(
            Pkcs11DriverProvider.ID,
            nonBlank(t.manufacturer()),
            nonBlank(t.model()),
            nonBlank(t.serial()),
            t.firmwareVersion(),
            l.manufacturer() + " " + l.libraryVersion(),
            details);
      } catch (HsmException e) {
        details.put("token_info", "unavailable: " + e.getMessage());
      }
    } else {
      details.put("token_info", "unavailable: run the JVM with " + WrapperAccess.ADD_EXPORTS);
    }
    return new DeviceInfo(
        Pkcs11DriverProvider.ID, "unknown", "unknown", "unknown", "unknown", "unknown", details);
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }
}
