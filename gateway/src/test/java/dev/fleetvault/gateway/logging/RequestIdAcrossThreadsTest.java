package dev.fleetvault.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.edge.RequestIds;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One request's log lines carry its id on every thread it crosses: the edge's event loop, an HSM
 * worker, a crypto worker and the continuation back on the event loop; a pooled worker keeps no id
 * after the task; and an id from a peer is taken only in the exact form the node makes.
 */
class RequestIdAcrossThreadsTest {
  final Vertx vertx = Vertx.vertx();
  final Logger log = (Logger) LoggerFactory.getLogger("test.request-id");
  final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  HsmExecutor hsm;
  CryptoExecutor crypto;

  @BeforeEach
  void setUp() {
    lines.start();
    log.addAppender(lines);
    log.setLevel(Level.INFO);
    hsm = new HsmExecutor(vertx, "test-hsm-rid", null, 1, 4, 10_000, new SimpleMeterRegistry());
    crypto = new CryptoExecutor(vertx, "test-crypto-rid", 1);
  }

  @AfterEach
  void tearDown() throws Exception {
    log.detachAppender(lines);
    hsm.close();
    crypto.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs one "request" on an event loop: edge line, HSM line, crypto line, continuation line. */
  private String request(Context edge) throws Exception {
    CompletableFuture<String> done = new CompletableFuture<>();
    edge.runOnContext(
        v -> {
          String id = RequestIds.next();
          RequestIds.run(
              id,
              () -> {
                log.info("edge");
                hsm.call(
                        "op",
                        d -> {
                          log.info("hsm");
                          return 1;
                        })
                    .compose(
                        x ->
                            crypto.run(
                                "step",
                                () -> {
                                  log.info("crypto");
                                  return 2;
                                }))
                    .onComplete(
                        ar -> {
                          log.info("continuation");
                          done.complete(id);
                        });
              });
        });
    return done.get(30, TimeUnit.SECONDS);
  }

  private Map<String, ILoggingEvent> linesOf(String id) {
    return lines.list.stream()
        .filter(e -> id.equals(e.getMDCPropertyMap().get(RequestIds.MDC_KEY)))
        .collect(Collectors.toMap(ILoggingEvent::getFormattedMessage, e -> e, (a, b) -> a));
  }

  @Test
  void request_hopsToHsmAndCryptoWorkers_everyLineCarriesItsId() throws Exception {
    Context edge = vertx.getOrCreateContext();
    String a = request(edge);
    String b = request(edge);
    assertThat(a).isNotEqualTo(b);
    for (String id : List.of(a, b)) {
      Map<String, ILoggingEvent> mine = linesOf(id);
      assertThat(mine).containsOnlyKeys("edge", "hsm", "crypto", "continuation");
      assertThat(mine.get("edge").getThreadName()).contains("eventloop");
      assertThat(mine.get("hsm").getThreadName()).startsWith("test-hsm-rid");
      assertThat(mine.get("crypto").getThreadName()).startsWith("test-crypto-rid");
      assertThat(mine.get("continuation").getThreadName()).contains("eventloop");
    }
  }

  @Test
  void workerTask_afterARequest_noIdLeftBehind() throws Exception {
    request(vertx.getOrCreateContext());
    // The same single HSM worker, asked outside any request: its line has no id.
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(
        v ->
            hsm.call(
                    "op",
                    d -> {
                      log.info("outside");
                      return 0;
                    })
                .onComplete(ar -> done.complete(null)));
    done.get(30, TimeUnit.SECONDS);
    ILoggingEvent outside =
        lines.list.stream()
            .filter(e -> e.getFormattedMessage().equals("outside"))
            .findFirst()
            .orElseThrow();
    assertThat(outside.getThreadName()).startsWith("test-hsm-rid");
    assertThat(outside.getMDCPropertyMap()).doesNotContainKey(RequestIds.MDC_KEY);
  }

  @Test
  void fromPeer_wellFormedOrReplaced() {
    String id = RequestIds.next();
    assertThat(RequestIds.fromPeer(id)).isEqualTo(id);
    for (String bad :
        new String[] {
          null, "", "x", id + "\nFAKE log line", id + " ", "ABCDEF01-1", "0123456-1", "01234567-"
        }) {
      String got = RequestIds.fromPeer(bad);
      assertThat(got).as(String.valueOf(bad)).isNotEqualTo(bad).matches("[0-9a-f]{8}-[0-9a-f]+");
    }
  }
}
