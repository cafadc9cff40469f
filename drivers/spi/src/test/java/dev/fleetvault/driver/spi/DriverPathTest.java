package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.testproviders.TestProviders;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin directory: jars dropped there are seen by the registry, and the allow-list still
 * decides.
 */
class DriverPathTest {

  @TempDir Path dir;

  private static final String ALPHA = TestProviders.Alpha.class.getName();
  private static final String BANNED = TestProviders.Banned.class.getName();

  /**
   * A driver jar whose META-INF/services lists {@code providers} (the classes themselves come from
   * the parent).
   */
  private Path driverJar(String name, String... providers) throws Exception {
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("META-INF/services/" + HsmDriverProvider.class.getName()));
      j.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }

  @Test
  void loader_jarsInDirectory_allowedProviderLoadsAndOthersAreRefused() throws Exception {
    driverJar("vendor-a.jar", ALPHA);
    driverJar("vendor-b.jar", BANNED);
    Files.writeString(dir.resolve("notes.txt"), "not a jar");
    int before = TestProviders.BANNED_INSTANCES.get();
    ClassLoader plugins = DriverPath.loader(dir, getClass().getClassLoader());

    Drivers d = Drivers.load(plugins, List.of(ALPHA), "hsm.allowed_providers");
    assertThat(d.ids()).containsExactly("alpha");
    assertThat(d.refusedProviderClasses()).containsExactly(BANNED);
    assertThat(TestProviders.BANNED_INSTANCES.get()).isEqualTo(before);
    assertThat(DriverPath.loader(dir, getClass().getClassLoader())).isSameAs(plugins);
  }

  @Test
  void loader_emptyDirectory_isTheParent() throws Exception {
    ClassLoader parent = getClass().getClassLoader();
    assertThat(DriverPath.loader(dir, parent)).isSameAs(parent);
    Drivers d = Drivers.load(DriverPath.loader(dir, parent), List.of(ALPHA), "allow");
    assertThatThrownBy(() -> d.open("alpha", DriverSettings.of("test", Map.of(), Path.of("/"))))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("unknown HSM driver id 'alpha'")
        .hasMessageContaining(DriverPath.ENV);
  }

  @Test
  void loader_missingDirectory_isAConfigErrorNamingIt() {
    Path missing = dir.resolve("no-such-dir");
    assertThatThrownBy(() -> DriverPath.loader(missing, getClass().getClassLoader()))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining(DriverPath.ENV);
  }

  @Test
  void configured_propertyBeforeEnvironment() {
    assertThat(DriverPath.configured(k -> null, k -> null)).isEmpty();
    assertThat(DriverPath.configured(k -> null, k -> "/opt/env")).contains(Path.of("/opt/env"));
    assertThat(DriverPath.configured(k -> "/opt/prop", k -> "/opt/env"))
        .contains(Path.of("/opt/prop"));
    assertThat(DriverPath.configured(k -> " ", k -> "")).isEmpty();
  }
}
