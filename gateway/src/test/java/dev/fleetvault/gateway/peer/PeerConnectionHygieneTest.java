package dev.fleetvault.gateway.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.support.TestFleet;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.4: the peer listener applies the node's connection hygiene to a TLS connection that
 * sends nothing, not even a ClientHello ({@code limits.idle_timeout_ms}, here 1 s): it is closed.
 */
@Tag("process")
class PeerConnectionHygieneTest {
  @TempDir Path dir;

  @Test
  void peerListener_silentConnection_closedAfterIdleTimeout() throws Exception {
    try (TestFleet fleet =
        TestFleet.start(
            dir,
            "  per_user_per_minute: 100000\n"
                + "  per_address_per_minute: 1000000\n  idle_timeout_ms: 1000\n")) {
      MemberSpec m = fleet.config().members().get(0);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(m.peer().host(), m.peer().port()), 5000);
        s.setSoTimeout(6000);
        long start = System.nanoTime();
        boolean closed = closedByServer(s);
        assertThat(closed)
            .as("peer listener closed the silent connection within 6 s (idle 1 s)")
            .isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(6000);
      }
    }
  }

  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      while (true) {
        if (in.read(buf) == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
