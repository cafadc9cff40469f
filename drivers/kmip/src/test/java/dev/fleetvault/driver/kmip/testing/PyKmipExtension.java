package dev.fleetvault.driver.kmip.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a running {@link PyKmipServer} (one per test JVM, shared by all
 * classes, stopped when the run ends). Inject it as a parameter of a test, constructor or lifecycle
 * method. Without PyKMIP the tests are skipped with a loud reason, except under {@code CI=true} or
 * {@code FLEETVAULT_REQUIRE_HSM=1}, where they fail.
 */
public final class PyKmipExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(PyKmipExtension.class);
  private static volatile PyKmipServer current;

  /**
   * The server started for this run (after the extension's {@code beforeAll}); for code that cannot
   * take a parameter.
   */
  public static PyKmipServer current() {
    if (current == null) {
      throw new IllegalStateException(
          "no PyKMIP server: annotate the class with @ExtendWith(PyKmipExtension.class)");
    }
    return current;
  }

  /** Whether the environment demands a real server. */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || "1".equals(System.getenv("FLEETVAULT_REQUIRE_HSM"));
  }

  /** Skips (or under CI fails) when PyKMIP is missing. */
  public static void assumeAvailable() {
    String reason = PyKmipServer.unavailableReason();
    if (reason != null) {
      String msg = "PyKMIP tests need a PyKMIP server: " + reason;
      if (required()) {
        fail(msg + " (required because CI=true or FLEETVAULT_REQUIRE_HSM=1)");
      }
      System.err.println("*** SKIPPING KMIP TESTS *** " + msg);
      Assumptions.abort(msg);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server(context);
  }

  private static PyKmipServer server(ExtensionContext context) throws Exception {
    assumeAvailable();
    ExtensionContext.Store store = context.getRoot().getStore(NS);
    Holder h =
        store.getOrComputeIfAbsent(
            "server",
            k -> {
              try {
                String base = System.getProperty("fleetvault.buildDir", "target");
                Path dir =
                    Files.createTempDirectory(
                        Files.createDirectories(Path.of(base, "pykmip")), "server-");
                return new Holder(PyKmipServer.start(dir));
              } catch (Exception e) {
                return new Holder(e);
              }
            },
            Holder.class);
    if (h.failure != null) {
      throw new IllegalStateException("PyKMIP server failed to start", h.failure);
    }
    current = h.server;
    return h.server;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == PyKmipServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    try {
      return server(e);
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * Keeps the server (or why it failed) in the root store; JUnit closes it (AutoCloseable) at the
   * end of the run.
   */
  private static final class Holder implements AutoCloseable {
    final PyKmipServer server;
    final Exception failure;

    Holder(PyKmipServer s) {
      server = s;
      failure = null;
    }

    Holder(Exception e) {
      server = null;
      failure = e;
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }
}
