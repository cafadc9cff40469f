package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.quorum.impl.DefaultQuorumNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TP;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: what the quorum channels put on the wire between members is encrypted: a distinctive
 * user id committed through the ledger (and stored in the record store) never appears in the bytes
 * that cross the network. The probe: a loopback TCP relay in front of every member's two ports;
 * every node's JGroups address cache is pointed at the relays and its connections dropped, so all
 * member-to-member traffic that follows passes through (and is copied by) the relays. The same run
 * on the explicit plaintext test mode shows the probe does see the user id when the channels are
 * not encrypted.
 */
@Tag("process")
@Timeout(300)
class WireProbeTest extends QuorumTestBase {

  /**
   * Property: with TLS (the only production mode) no ledger entry or record key crosses the wire in
   * plaintext.
   */
  @Test
  void ledgerAndRecordTraffic_tls_noPlaintextUserIdOnTheWire() throws Exception {
    Probe p = run(false);
    assertThat(p.bytes).as("bytes through the relays").isGreaterThan(2_000);
    assertThat(p.containsUser).as("user id seen on the wire").isFalse();
    assertThat(p.containsTlsRecords).as("traffic is TLS application data").isTrue();
  }

  /**
   * Property (probe control): in the explicit plaintext test mode the same probe does see the user
   * id.
   */
  @Test
  void ledgerAndRecordTraffic_plaintextTestMode_userIdVisibleOnTheWire() throws Exception {
    Probe p = run(true);
    assertThat(p.bytes).isGreaterThan(2_000);
    assertThat(p.containsUser).as("user id seen on the wire").isTrue();
  }

  private record Probe(long bytes, boolean containsUser, boolean containsTlsRecords) {}

  private static Probe run(boolean plaintext) throws Exception {
    String user = "probe-user-" + hex(random(8));
    try (Cluster c =
        new Cluster(3, workDir(plaintext ? "probe-plain" : "probe-tls"), Duration.ofSeconds(3)) {
          @Override
          QuorumConfig config(int id) {
            QuorumConfig cfg = super.config(id);
            return plaintext
                ? cfg.withChannelSecurity(ChannelSecurity.insecurePlaintextForTests())
                : cfg;
          }
        }) {
      c.startAll();
      c.awaitReady();
      List<Relay> relays = new ArrayList<>();
      try {
        // one relay per member and channel; every node sends to the relays from now on
        for (int ch = 0; ch < 2; ch++) {
          for (int j = 1; j <= 3; j++) {
            JChannel target = channel(c.node(j), ch);
            IpAddress real =
                (IpAddress) target.getProtocolStack().getTransport().localPhysicalAddress();
            Relay r = new Relay(real);
            relays.add(r);
            for (int i = 1; i <= 3; i++)
              if (i != j) redirect(channel(c.node(i), ch), target.getAddress(), r.address());
          }
        }
        for (int i = 1; i <= 3; i++)
          for (int ch = 0; ch < 2; ch++)
            ((TCP) channel(c.node(i), ch).getProtocolStack().getTransport()).clearConnections();
        for (int id = 1; id <= 3; id++) {
          byte[] sealed = random(64);
          join(c.node(id).records().put(user, 1, id, sealed));
          assertThat(join(c.memberLedger(id).register(user, 1, sha256(sealed), 5)).isCommitted())
              .isTrue();
          assertThat(
                  join(c.memberLedger(id).attempt(user, 1, sha256(sealed), 1, random(32)))
                      .isCommitted())
              .isTrue();
        }
        c.awaitConverged();
        byte[] needle = user.getBytes(StandardCharsets.UTF_8);
        long total = 0;
        boolean seen = false;
        boolean tls = false;
        for (Relay r : relays) {
          byte[] b = r.captured();
          total += b.length;
          seen |= indexOf(b, needle) >= 0;
          tls |= indexOf(b, new byte[] {0x17, 0x03, 0x03}) >= 0;
        }
        return new Probe(total, seen, tls);
      } finally {
        for (Relay r : relays) r.close();
      }
    }
  }

  private static JChannel channel(DefaultQuorumNode n, int which) {
    return which == 0 ? n.raftLedger().channel() : n.recordStore().channel();
  }

  private static void redirect(JChannel on, Address member, PhysicalAddress to) {
    TP tp = on.getProtocolStack().getTransport();
    tp.getLogicalAddressCache().add(member, to);
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
      return i;
    }
    return -1;
  }

  /**
   * A loopback TCP relay that forwards to {@code target} and copies every byte in both directions.
   */
  static final class Relay implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();

    Relay(IpAddress target) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket in = server.accept();
                    Socket out = new Socket();
                    out.connect(
                        new InetSocketAddress(target.getIpAddress(), target.getPort()), 2000);
                    synchronized (sockets) {
                      sockets.add(in);
                      sockets.add(out);
                    }
                    pump(in, out);
                    pump(out, in);
                  } catch (IOException e) {
                    // closed
                  }
                }
              },
              "relay-" + target);
      t.setDaemon(true);
      t.start();
    }

    IpAddress address() {
      return new IpAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    synchronized (copy) {
                      if (copy.size() < (64 << 20)) copy.write(buf, 0, n);
                    }
                    out.write(buf, 0, n);
                  }
                } catch (IOException e) {
                  // closed
                } finally {
                  try {
                    to.close();
                    from.close();
                  } catch (IOException ignored) {
                    // closing
                  }
                }
              },
              "relay-pump");
      t.setDaemon(true);
      t.start();
    }

    byte[] captured() {
      synchronized (copy) {
        return copy.toByteArray();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (sockets) {
        for (Socket s : sockets) s.close();
      }
    }
  }
}
