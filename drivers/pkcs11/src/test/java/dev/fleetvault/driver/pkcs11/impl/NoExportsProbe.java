package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run in a child JVM started WITHOUT {@code --add-exports}: reports what the driver does there.
 * Arguments: library, slot id, pin file, token label. Prints {@code key=value} lines.
 */
public final class NoExportsProbe {

  private NoExportsProbe() {}

  /** Entry point of the child JVM. */
  public static void main(String[] args) throws Exception {
    System.out.println("wrapper=" + WrapperAccess.available());
    Map<String, Object> byLabel = new LinkedHashMap<>();
    byLabel.put("library", args[0]);
    byLabel.put("token_label", args[3]);
    byLabel.put("pin_file", args[2]);
    try {
      Pkcs11DriverContractTest.open(byLabel).close();
      System.out.println("token_label=opened");
    } catch (HsmException e) {
      System.out.println("token_label=" + e.kind() + ": " + e.getMessage());
    }
    Map<String, Object> bySlot = new LinkedHashMap<>(byLabel);
    bySlot.remove("token_label");
    bySlot.put("slot", args[1]);
    try (HsmDriver d = Pkcs11DriverContractTest.open(bySlot)) {
      DeviceInfo info = d.describe();
      System.out.println("describe.vendor=" + info.vendor());
      System.out.println("describe.token_info=" + info.details().get("token_info"));
      KeyHandle k = d.generateKey(KeySpec.AES_256, "noexports-" + System.nanoTime());
      byte[] pt = {1, 2, 3};
      System.out.println(
          "roundtrip=" + Arrays.equals(pt, d.unseal(k, d.seal(k, pt, new byte[0]), new byte[0])));
    }
  }
}
