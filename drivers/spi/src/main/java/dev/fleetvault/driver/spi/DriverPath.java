package dev.fleetvault.driver.spi;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver plugin directory: HSM driver jars dropped into it are seen by {@link Drivers#load}
 * through a class loader over them. Finding a provider there does not load it: {@link Drivers}
 * still instantiates only the classes named in the allow-list ({@code hsm.allowed_providers}).
 *
 * <p>The directory is the system property {@value #PROPERTY} (the distribution's {@code
 * bin/fleetvault} sets it to its {@code drivers/}, or to {@value #ENV} when that is set), else the
 * environment variable {@value #ENV}, else none (only the class path). A configured directory that
 * does not exist is a configuration error. Jars are read once per JVM: restart to pick up a new
 * one.
 */
public final class DriverPath {
  /** Environment variable naming the plugin directory. */
  public static final String ENV = "FLEETVAULT_DRIVERS_DIR";

  /** System property naming the plugin directory (takes precedence over {@link #ENV}). */
  public static final String PROPERTY = "fleetvault.drivers.dir";

  private static final Logger LOG = LoggerFactory.getLogger(DriverPath.class);
  private static final Map<List<Object>, ClassLoader> LOADERS = new ConcurrentHashMap<>();

  private DriverPath() {}

  /** The configured plugin directory, if any, from {@link #PROPERTY} or {@link #ENV}. */
  public static Optional<Path> configured() {
    return configured(System::getProperty, System::getenv);
  }

  static Optional<Path> configured(
      Function<String, String> properties, Function<String, String> env) {
    String p = properties.apply(PROPERTY);
    if (p == null || p.isBlank()) {
      p = env.apply(ENV);
    }
    return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p.trim()));
  }

  /**
   * The class loader to give {@link Drivers#load(ClassLoader, java.util.Collection, String)}: over
   * the jars of the configured plugin directory with {@link Drivers}' own loader as parent, or that
   * loader itself when no directory is configured.
   */
  public static ClassLoader loader() throws HsmFatalException {
    ClassLoader parent = Drivers.class.getClassLoader();
    Optional<Path> dir = configured();
    return dir.isEmpty() ? parent : loader(dir.get(), parent);
  }

  /**
   * A class loader over every {@code *.jar} directly in {@code dir} (in name order) whose parent is
   * {@code parent}; {@code parent} itself when {@code dir} holds no jar. One loader per directory
   * and parent for the JVM's lifetime, so nodes started in one JVM share the plugin classes.
   */
  public static ClassLoader loader(Path dir, ClassLoader parent) throws HsmFatalException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(parent, "parent");
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG,
          "HSM driver directory "
              + dir
              + " ("
              + PROPERTY
              + " or "
              + ENV
              + ") does not exist or cannot be read: "
              + e
              + "; create it or point "
              + ENV
              + " at the directory "
              + "that holds the driver jars");
    }
    if (!Files.isDirectory(real)) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG,
          "HSM driver directory "
              + dir
              + " ("
              + PROPERTY
              + " or "
              + ENV
              + ") is not a directory; point "
              + ENV
              + " at the directory that holds the driver jars");
    }
    List<Path> jars = jars(real);
    if (jars.isEmpty()) {
      return parent;
    }
    List<Object> key = List.of(real, jars, System.identityHashCode(parent));
    try {
      return LOADERS.computeIfAbsent(
          key,
          k -> {
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
              try {
                urls[i] = jars.get(i).toUri().toURL();
              } catch (MalformedURLException e) {
                throw new IllegalStateException(jars.get(i) + ": " + e.getMessage(), e);
              }
            }
            LOG.info(
                "HSM driver directory {}: {}",
                real,
                jars.stream().map(j -> j.getFileName().toString()).toList());
            return new URLClassLoader("fleetvault-drivers", urls, parent);
          });
    } catch (IllegalStateException e) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG, "HSM driver directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> jars(Path dir) throws HsmFatalException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new HsmFatalException(
          HsmException.Kind.CONFIG, "HSM driver directory " + dir + " cannot be listed: " + e, e);
    }
    out.sort(null);
    return List.copyOf(out);
  }
}
