package dev.fleetvault.driver.spi;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of driver providers: loads {@link HsmDriverProvider}s with {@link ServiceLoader} and
 * opens drivers by id.
 *
 * <p>Guarantees (each refusal is an {@link HsmFatalException} of kind {@link
 * HsmException.Kind#CONFIG} whose message says the fix):
 *
 * <ul>
 *   <li>A provider class not named in the allow-list is never instantiated; opening an id only such
 *       a provider could offer fails naming the class and the allow-list to add it to.
 *   <li>A provider that fails to load ({@link ServiceConfigurationError}) is reported and does not
 *       stop the others from loading.
 *   <li>Two allowed providers with one id stop loading, naming both classes and their jars.
 *   <li>An allowed provider written for an unsupported SPI version stops loading.
 *   <li>An unknown id fails at {@link #open}, listing the ids available.
 * </ul>
 */
public final class Drivers {

  /** SPI versions this registry can load. */
  public static final Set<Integer> SUPPORTED_SPI_VERSIONS =
      Set.of(HsmDriverProvider.CURRENT_SPI_VERSION);

  private static final Logger LOG = LoggerFactory.getLogger(Drivers.class);

  private final Map<String, HsmDriverProvider> byId;
  private final List<String> refusedClasses;
  private final List<String> loadFailures;
  private final String allowListName;

  private Drivers(
      Map<String, HsmDriverProvider> byId,
      List<String> refusedClasses,
      List<String> loadFailures,
      String allowListName) {
    this.byId = byId;
    this.refusedClasses = refusedClasses;
    this.loadFailures = loadFailures;
    this.allowListName = allowListName;
  }

  /**
   * Loads providers visible to {@code loader}, instantiating only those whose class names are in
   * {@code allowedProviderClasses}. {@code allowListName} names the setting in messages (for
   * example {@code "hsm.allowed_providers in node.yaml"}).
   */
  public static Drivers load(
      ClassLoader loader, Collection<String> allowedProviderClasses, String allowListName)
      throws HsmFatalException {
    Objects.requireNonNull(loader, "loader");
    Set<String> allowed = Set.copyOf(allowedProviderClasses);
    List<HsmDriverProvider> instances = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    var it = ServiceLoader.load(HsmDriverProvider.class, loader).stream().iterator();
    while (true) {
      ServiceLoader.Provider<HsmDriverProvider> p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        failures.add(e.getMessage());
        LOG.warn("HSM driver provider failed to load: {}", e.getMessage());
        continue;
      }
      String className;
      try {
        className = p.type().getName();
      } catch (ServiceConfigurationError e) {
        failures.add(e.getMessage());
        LOG.warn("HSM driver provider failed to load: {}", e.getMessage());
        continue;
      }
      if (!allowed.contains(className)) {
        refused.add(className);
        LOG.info(
            "HSM driver provider {} found but not in {}; not loaded", className, allowListName);
        continue;
      }
      try {
        instances.add(p.get());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        failures.add(className + ": " + describe(e));
        LOG.warn("HSM driver provider {} failed to instantiate: {}", className, describe(e));
      }
    }
    return fromProviders(instances, refused, failures, allowListName);
  }

  /** {@link #load(ClassLoader, Collection, String)} with this class's loader. */
  public static Drivers load(Collection<String> allowedProviderClasses, String allowListName)
      throws HsmFatalException {
    return load(Drivers.class.getClassLoader(), allowedProviderClasses, allowListName);
  }

  /**
   * A registry of already-instantiated providers (embedding and tests); the same duplicate and
   * version checks apply.
   */
  public static Drivers of(Collection<? extends HsmDriverProvider> providers)
      throws HsmFatalException {
    return fromProviders(new ArrayList<>(providers), List.of(), List.of(), "the provider list");
  }

  private static Drivers fromProviders(
      List<HsmDriverProvider> providers,
      List<String> refused,
      List<String> failures,
      String allowListName)
      throws HsmFatalException {
    Map<String, HsmDriverProvider> byId = new LinkedHashMap<>();
    for (HsmDriverProvider p : providers) {
      String cls = p.getClass().getName();
      int v = p.spiVersion();
      if (!SUPPORTED_SPI_VERSIONS.contains(v)) {
        throw new HsmFatalException(
            HsmException.Kind.CONFIG,
            "HSM driver provider "
                + cls
                + " ("
                + where(p)
                + ") was written for driver SPI version "
                + v
                + ", but this Fleetvault supports "
                + new TreeSet<>(SUPPORTED_SPI_VERSIONS)
                + "; use a driver jar built for SPI version "
                + HsmDriverProvider.CURRENT_SPI_VERSION
                + " or upgrade Fleetvault");
      }
      String id = p.id();
      if (id == null || id.isBlank()) {
        throw new HsmFatalException(
            HsmException.Kind.CONFIG,
            "HSM driver provider "
                + cls
                + " ("
                + where(p)
                + ") has no id; fix the provider or remove its jar");
      }
      HsmDriverProvider other = byId.putIfAbsent(id, p);
      if (other != null) {
        throw new HsmFatalException(
            HsmException.Kind.CONFIG,
            "two HSM driver providers have id '"
                + id
                + "': "
                + other.getClass().getName()
                + " ("
                + where(other)
                + ") and "
                + cls
                + " ("
                + where(p)
                + "); remove one of the jars from the class path or drop one class from "
                + allowListName);
      }
    }
    return new Drivers(
        Collections.unmodifiableMap(byId),
        List.copyOf(refused),
        List.copyOf(failures),
        allowListName);
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(" <- ").append(c);
    }
    return sb.toString();
  }

  private static String where(HsmDriverProvider p) {
    CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
    return cs == null || cs.getLocation() == null
        ? "unknown location"
        : cs.getLocation().toString();
  }

  /** The ids of the loaded (allowed) providers. */
  public Set<String> ids() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(byId.keySet()));
  }

  /** The provider with {@code id}, if loaded. */
  public Optional<HsmDriverProvider> provider(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The loaded (allowed) providers, in load order. */
  public List<HsmDriverProvider> providers() {
    return List.copyOf(byId.values());
  }

  /** Providers that failed to load or instantiate, each with its reason. */
  public List<String> loadFailures() {
    return loadFailures;
  }

  /**
   * Where {@code p}'s class was loaded from (its jar or class directory), or {@code "unknown
   * location"}.
   */
  public static String location(HsmDriverProvider p) {
    return where(p);
  }

  /** Provider classes found on the class path but not in the allow-list (not instantiated). */
  public List<String> refusedProviderClasses() {
    return refusedClasses;
  }

  /**
   * Opens the driver {@code id} with {@code settings}. An unknown id fails naming the ids
   * available, the providers refused by the allow-list and those that failed to load. A provider's
   * unexpected {@link RuntimeException} becomes kind {@link HsmException.Kind#DEVICE_ERROR}.
   */
  public HsmDriver open(String id, DriverSettings settings) throws HsmException {
    Objects.requireNonNull(settings, "settings");
    HsmDriverProvider p = byId.get(id);
    if (p == null) {
      StringBuilder sb =
          new StringBuilder("unknown HSM driver id '")
              .append(id)
              .append("'; available: ")
              .append(byId.isEmpty() ? "none" : String.join(", ", byId.keySet()));
      if (!refusedClasses.isEmpty()) {
        sb.append("; found but not allowed: ")
            .append(String.join(", ", refusedClasses))
            .append(" (if one of them provides '")
            .append(id)
            .append("', add its class name to ")
            .append(allowListName)
            .append(")");
      }
      if (!loadFailures.isEmpty()) {
        sb.append("; failed to load: ").append(String.join("; ", loadFailures));
      }
      sb.append("; otherwise put the driver's jar in the drivers directory (")
          .append(DriverPath.ENV)
          .append(", or the distribution's drivers/) or on the class path, or fix the id");
      throw new HsmFatalException(HsmException.Kind.CONFIG, sb.toString());
    }
    try {
      return p.open(settings);
    } catch (RuntimeException e) {
      throw new HsmFatalException(
          HsmException.Kind.DEVICE_ERROR, "driver '" + id + "' failed to open: " + e, e);
    }
  }
}
