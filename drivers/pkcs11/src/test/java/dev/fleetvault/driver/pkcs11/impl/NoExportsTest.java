package dev.fleetvault.driver.pkcs11.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without {@code --add-exports ...wrapper=ALL-UNNAMED} (a child JVM): {@code token_label} is
 * refused with a message naming the flag and the alternative, {@code slot} works, and {@code
 * describe()} says why it knows less.
 */
@Tag("process")
class NoExportsTest {

  @BeforeAll
  static void softHsm() throws Exception {
    SoftHsm.ensure();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES) // hang guard for the child JVM only
  void open_withoutAddExports_tokenLabelRefusedSlotWorks() throws Exception {
    Map<String, Object> s = SoftHsm.settings(SoftHsm.MAIN);
    long slot = WrapperAccess.slotByTokenLabel(SoftHsm.LIBRARY, SoftHsm.MAIN, "test");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    NoExportsProbe.class.getName(),
                    SoftHsm.LIBRARY.toString(),
                    Long.toString(slot),
                    (String) s.get("pin_file"),
                    SoftHsm.MAIN))
            .redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out)
        .contains("wrapper=false")
        .contains(
            "token_label=CONFIG: key 'token_label' needs the JVM option --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")
        .contains("configure slot / slot_index instead")
        .contains("describe.vendor=unknown")
        .contains("describe.token_info=unavailable: run the JVM with --add-exports")
        .contains("roundtrip=true");
  }
}
