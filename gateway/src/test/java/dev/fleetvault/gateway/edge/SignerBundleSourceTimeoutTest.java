package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A signer that accepts but never answers: nothing is served, and the log line names the signer's
 * address and the deadline that passed.
 */
class SignerBundleSourceTimeoutTest {

  @Test
  void bundleFor_signerSilent_emptyAndLogNamesSignerAndTimeout() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(SignerBundleSource.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // read nothing, answer nothing
                  }
                } catch (java.io.IOException e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      SignerBundleSource source =
          new SignerBundleSource(url, Duration.ofMillis(400), Duration.ofSeconds(1));
      assertThat(source.timeout()).isEqualTo(Duration.ofMillis(400));
      assertThat(source.bundleFor(1, 0).isEmpty()).isTrue();
      assertThat(lines.list)
          .anySatisfy(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains(url.toString())
                      .contains("no answer within 400 ms"));
    } finally {
      logger.detachAppender(lines);
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
