package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fleetvault.gateway.edge.RequestIds;
import dev.fleetvault.gateway.peer.PeerClients;
import dev.fleetvault.gateway.peer.PeerVerticle;
import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client request's id reaches the other members: the edge's lines about its calls to members and
 * the members' lines about serving them (other nodes, other threads) carry the same id.
 */
@Tag("process")
class RequestIdPeerTest {

  @Test
  void register_edgeCallsOtherMembers_peerLinesCarryTheEdgesRequestId() throws Exception {
    TestFleet fleet = dev.fleetvault.gateway.support.SharedFleet.get();
    Logger edgeSide = (Logger) LoggerFactory.getLogger(PeerClients.class);
    Logger peerSide = (Logger) LoggerFactory.getLogger(PeerVerticle.class);
    List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    ListAppender<ILoggingEvent> lines =
        new ListAppender<>() {
          @Override
          protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing();
            events.add(e);
          }
        };
    lines.start();
    Level edgeLevel = edgeSide.getLevel();
    Level peerLevel = peerSide.getLevel();
    edgeSide.addAppender(lines);
    peerSide.addAppender(lines);
    edgeSide.setLevel(Level.DEBUG);
    peerSide.setLevel(Level.DEBUG);
    Vertx vertx = Vertx.vertx();
    try {
      var e = fleet.fleet().edges().get(0);
      try (GrpcTransport t = new GrpcTransport(vertx, e.host(), e.port())) {
        new TestClient(t, fleet.realm(), fleet::token)
            .register("request-id-user", "2468", new byte[] {2, 4}, 5);
      }
      Thread.sleep(500); // the members' last "served" lines
    } finally {
      edgeSide.detachAppender(lines);
      peerSide.detachAppender(lines);
      edgeSide.setLevel(edgeLevel);
      peerSide.setLevel(peerLevel);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Set<String> edgeIds =
        events.stream()
            .filter(x -> x.getLoggerName().equals(PeerClients.class.getName()))
            .map(x -> x.getMDCPropertyMap().get(RequestIds.MDC_KEY))
            .collect(Collectors.toSet());
    List<ILoggingEvent> served =
        events.stream()
            .filter(x -> x.getLoggerName().equals(PeerVerticle.class.getName()))
            .toList();
    assertThat(edgeIds).as("the edge's member calls carry a request id").doesNotContainNull();
    assertThat(edgeIds).as("one id per client call (register phases 1 and 2)").hasSize(2);
    assertThat(served).as("other members served the edge's calls").isNotEmpty();
    for (ILoggingEvent s : served) {
      assertThat(s.getMDCPropertyMap().get(RequestIds.MDC_KEY))
          .as(s.getFormattedMessage() + " on " + s.getThreadName())
          .isIn(edgeIds);
    }
  }
}
