package dev.fleetvault.signer;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the independent signer as its own process: {@code SignerMain --config FILE}. Prints one line
 * {@code fleetvault-signer listening on http://HOST:PORT vkey=<vkey>} once it serves requests,
 * then, when an admin listener is configured, {@code fleetvault-signer admin on http://HOST:PORT
 * ...}.
 */
public final class SignerMain {
  private SignerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("usage: SignerMain --config FILE");
      System.exit(2);
    }
    System.exit(run(Path.of(args[1])));
  }

  /** Runs until the process is stopped; returns an exit code on start-up failure. */
  public static int run(Path config) throws InterruptedException {
    SignerConfig c;
    try {
      c = SignerConfig.load(config);
    } catch (Exception e) {
      System.err.println("fleetvault-signer: bad configuration: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    SignerServer s;
    try {
      s = SignerServer.startBlocking(vertx, c);
    } catch (Exception e) {
      System.err.println("fleetvault-signer: failed to start: " + e);
      vertx.close();
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  s.close().onComplete(ar -> vertx.close());
                  stop.countDown();
                },
                "signer-shutdown"));
    System.out.println(
        "fleetvault-signer listening on http://"
            + c.host()
            + ":"
            + s.port()
            + " vkey="
            + s.service().noteKey().vkey());
    s.adminPort()
        .ifPresent(
            p ->
                System.out.println(
                    "fleetvault-signer admin on http://"
                        + c.admin().host()
                        + ":"
                        + p
                        + " (/metrics /healthz /readyz)"));
    System.out.flush();
    stop.await();
    return 0;
  }
}
