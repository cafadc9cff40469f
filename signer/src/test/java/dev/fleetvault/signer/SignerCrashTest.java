package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer as its own JVM process, killed with SIGKILL ({@code kill -9}) while an operator
 * publishes: after a restart every acknowledged entry is there, unchanged, at its index, under a
 * checkpoint consistent with the last acknowledged one.
 */
@Tag("process")
class SignerCrashTest {
  @TempDir Path dir;
  Process process;
  SignerTestEnv env;

  @AfterEach
  void tearDown() {
    if (process != null) {
      process.destroyForcibly();
    }
    if (env != null) {
      env.close();
    }
  }

  Process start(Path config, BlockingQueue<String> lines) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                cp,
                SignerMain.class.getName(),
                "--config",
                config.toString())
            .redirectErrorStream(true);
    Process p = pb.start();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  lines.add(l);
                }
              } catch (Exception ignored) {
                // process gone
              }
            },
            "signer-stdout");
    t.setDaemon(true);
    t.start();
    return p;
  }

  static int awaitPort(BlockingQueue<String> lines, Process p) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    while (true) {
      String l = lines.poll(120, TimeUnit.SECONDS);
      if (l == null || (!p.isAlive() && lines.isEmpty() && l.isEmpty())) {
        fail("signer process did not report its port; output: " + String.join("\n", seen));
      }
      seen.add(l);
      int i = l.indexOf("listening on http://127.0.0.1:");
      if (i >= 0) {
        String rest = l.substring(i + "listening on http://127.0.0.1:".length());
        return Integer.parseInt(rest.substring(0, rest.indexOf(' ')));
      }
    }
  }

  record Acked(long index, byte[] message, byte[] signature, String checkpoint) {}

  @Test
  void kill9_duringPublishing_everyAcknowledgedEntrySurvivesRestart() throws Exception {
    env = new SignerTestEnv(dir, 0, List.of());
    List<Acked> acked = Collections.synchronizedList(new ArrayList<>());
    AtomicLong epoch = new AtomicLong(0);
    NoteKey signerKey = null;
    for (int round = 0; round < 2; round++) {
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      process = start(env.config, lines);
      int port = awaitPort(lines, process);
      SignerClient client = new SignerClient(URI.create("http://127.0.0.1:" + port));
      if (signerKey == null) {
        signerKey = client.info().noteKey();
      }
      assertThat(client.info().noteKey()).isEqualTo(signerKey);
      checkAllAcked(client, signerKey, acked);

      // publish a few in order, then keep publishing from another thread and kill -9 mid-stream
      for (int i = 0; i < 5; i++) {
        publishOne(client, epoch, acked);
      }
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    publishOne(client, epoch, acked);
                  } catch (Exception e) {
                    return; // the process died under us: this request was not acknowledged
                  }
                }
              },
              "publisher");
      writer.start();
      int target = acked.size() + 10;
      while (acked.size() < target && writer.isAlive()) {
        Thread.sleep(5);
      }
      process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
      process.waitFor(60, TimeUnit.SECONDS);
      stop.set(true);
      writer.join(60_000);
      assertThat(process.isAlive()).isFalse();
    }
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    process = start(env.config, lines);
    SignerClient client =
        new SignerClient(URI.create("http://127.0.0.1:" + awaitPort(lines, process)));
    checkAllAcked(client, signerKey, acked);
    System.out.println(
        "entries acknowledged before two kill -9: "
            + acked.size()
            + ", log size after: "
            + client.info().treeSize());
    // and the signer carries on: next epoch, next index
    long next = client.info().treeSize();
    assertThat(
            client
                .publish(
                    FleetArtifact.NAMESPACE,
                    epoch.get() + 1000,
                    Crypto.sha256(new byte[] {1, 2, 3}),
                    env.operatorSigner())
                .index())
        .isEqualTo(next);
  }

  private void publishOne(SignerClient client, AtomicLong epoch, List<Acked> acked)
      throws Exception {
    long e = epoch.incrementAndGet();
    byte[] digest = Crypto.sha256(("artifact " + e).getBytes(StandardCharsets.UTF_8));
    SignerService.Entry r =
        client.publish(FleetArtifact.NAMESPACE, e, digest, env.operatorSigner());
    acked.add(new Acked(r.index(), r.message().encode(), r.signature(), r.checkpoint()));
  }

  private static void checkAllAcked(SignerClient client, NoteKey signerKey, List<Acked> acked)
      throws Exception {
    String cpText = client.checkpoint();
    SignedNote note = SignedNote.parse(cpText);
    assertThat(NoteVerifier.verify(note, signerKey)).isEqualTo(NoteVerifier.Outcome.VERIFIED);
    Checkpoint cp = Checkpoint.fromNoteText(note.text());
    List<Acked> copy;
    synchronized (acked) {
      copy = new ArrayList<>(acked);
    }
    assertThat(cp.treeSize()).isGreaterThanOrEqualTo(copy.size());
    for (Acked a : copy) {
      SignerService.Entry e = client.entry(a.index()).entry();
      assertThat(e.message().encode()).as("entry %d", a.index()).isEqualTo(a.message());
      assertThat(e.signature()).isEqualTo(a.signature());
      assertThat(e.checkpoint()).isEqualTo(a.checkpoint());
    }
    if (!copy.isEmpty()) {
      Acked last = copy.stream().max(java.util.Comparator.comparingLong(Acked::index)).get();
      Checkpoint lc = Checkpoint.fromNoteText(SignedNote.parse(last.checkpoint()).text());
      assertThat(
              MerkleProofs.verifyConsistency(
                  lc.treeSize(),
                  cp.treeSize(),
                  lc.rootHash(),
                  cp.rootHash(),
                  client.consistencyProof(lc.treeSize(), cp.treeSize())))
          .isTrue();
    }
  }
}
