package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.testproviders.TestProviders;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry: ServiceLoader discovery, allow-list, duplicates, SPI versions, unknown ids — each
 * refusal names the fix.
 */
class DriversTest {

  @TempDir Path dir;

  private static final String ALPHA = TestProviders.Alpha.class.getName();
  private static final String TWIN = TestProviders.AlphaTwin.class.getName();
  private static final String FUTURE = TestProviders.Future.class.getName();
  private static final String BANNED = TestProviders.Banned.class.getName();
  private static final String BROKEN = TestProviders.Broken.class.getName();

  /**
   * A class loader whose META-INF/services lists {@code providers} (classes come from the parent).
   */
  private ClassLoader servicesListing(String... providers) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(HsmDriverProvider.class.getName()), String.join("\n", providers) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  private static DriverSettings empty() throws HsmFatalException {
    return DriverSettings.of("test", Map.of(), Path.of("/"));
  }

  @Test
  void load_allowedProvider_opensById() throws Exception {
    Drivers d = Drivers.load(servicesListing(ALPHA), List.of(ALPHA), "hsm.allowed_providers");
    assertThat(d.ids()).containsExactly("alpha");
    assertThatThrownBy(() -> d.open("alpha", empty())).hasMessage("opened alpha");
  }

  @Test
  void load_providerNotInAllowList_neverInstantiatedAndOpenNamesFix() throws Exception {
    int before = TestProviders.BANNED_INSTANCES.get();
    Drivers d =
        Drivers.load(
            servicesListing(ALPHA, BANNED), List.of(ALPHA), "hsm.allowed_providers in node.yaml");
    assertThat(TestProviders.BANNED_INSTANCES.get()).isEqualTo(before);
    assertThat(d.refusedProviderClasses()).containsExactly(BANNED);
    assertThatThrownBy(() -> d.open("banned", empty()))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("unknown HSM driver id 'banned'")
        .hasMessageContaining(BANNED)
        .hasMessageContaining("add its class name to hsm.allowed_providers in node.yaml");
  }

  @Test
  void load_twoProvidersWithOneId_refusedNamingBoth() throws Exception {
    assertThatThrownBy(
            () -> Drivers.load(servicesListing(ALPHA, TWIN), List.of(ALPHA, TWIN), "allow"))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("two HSM driver providers have id 'alpha'")
        .hasMessageContaining(ALPHA)
        .hasMessageContaining(TWIN)
        .hasMessageContaining("remove one of the jars");
  }

  @Test
  void load_unsupportedSpiVersion_refusedNamingVersions() throws Exception {
    assertThatThrownBy(() -> Drivers.load(servicesListing(FUTURE), List.of(FUTURE), "allow"))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("SPI version 99")
        .hasMessageContaining(
            "use a driver jar built for SPI version " + HsmDriverProvider.CURRENT_SPI_VERSION);
  }

  @Test
  void load_brokenAndMissingProviders_othersStillLoadAndOpenReportsThem() throws Exception {
    Drivers d =
        Drivers.load(
            servicesListing(BROKEN, "com.example.Missing", ALPHA), List.of(ALPHA, BROKEN), "allow");
    assertThat(d.ids()).containsExactly("alpha");
    assertThatThrownBy(() -> d.open("broken", empty()))
        .hasMessageContaining("failed to load")
        .hasMessageContaining("broken on purpose")
        .hasMessageContaining("com.example.Missing");
  }

  @Test
  void open_unknownId_listsAvailableIds() throws Exception {
    Drivers d = Drivers.load(servicesListing(ALPHA), List.of(ALPHA), "allow");
    assertThatThrownBy(() -> d.open("pkcs12", empty()))
        .isInstanceOf(HsmFatalException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.CONFIG))
        .hasMessageContaining("unknown HSM driver id 'pkcs12'; available: alpha");
  }

  @Test
  void of_duplicateInstances_refused() {
    assertThatThrownBy(
            () -> Drivers.of(List.of(new TestProviders.Alpha(), new TestProviders.AlphaTwin())))
        .hasMessageContaining("two HSM driver providers have id 'alpha'");
  }
}
