package dev.fleetvault.cli.audit;

import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.VaultGrpcClient;
import dev.fleetvault.protocol.wire.WireVersion;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Fetches the over-the-air bundle an edge hands out, with one gRPC {@code Status} call (h2c). */
final class EdgeBundles {
  private EdgeBundles() {}

  /**
   * The {@code validation_bundle} bytes of an edge's Status answer.
   *
   * @param hostPort the edge, {@code HOST:PORT}
   * @param knownEpoch the epoch the caller already holds (sent as {@code known_bundle_epoch})
   * @param knownTreeSize the tree size of the caller's last accepted checkpoint (sent as {@code
   *     known_tree_size})
   */
  static byte[] fetch(String hostPort, long knownEpoch, long knownTreeSize, Duration timeout) {
    int colon = hostPort.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.USAGE, "--edge must be HOST:PORT, got " + hostPort);
    }
    if (colon <= 0 || port < 1 || port > 65535) {
      throw new CliException(ExitCodes.USAGE, "--edge must be HOST:PORT, got " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    Vertx vertx = Vertx.vertx();
    try {
      GrpcClient grpc =
          GrpcClient.client(
              vertx,
              new GrpcClientOptions().setMaxMessageSize(1 << 20),
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false)
                  .setConnectTimeout((int) timeout.toMillis()));
      VaultGrpcClient stub =
          VaultGrpcClient.create(grpc, SocketAddress.inetSocketAddress(port, host));
      StatusRequest q =
          StatusRequest.newBuilder()
              .setVersion(WireVersion.VERSION_1)
              .setSuite(WireVersion.SUITE_P256_SHA256)
              .setKnownBundleEpoch(knownEpoch)
              .setKnownTreeSize(knownTreeSize)
              .build();
      StatusResponse r =
          stub.status(q)
              .toCompletionStage()
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r.getValidationBundle().isEmpty()) {
        throw new CliException(
            ExitCodes.FAILURE, "invalid: the edge " + hostPort + " sent no validation bundle");
      }
      return r.getValidationBundle().toByteArray();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new CliException(
          ExitCodes.UNAVAILABLE,
          "the edge "
              + hostPort
              + " did not answer: "
              + (e.getCause() == null ? e : e.getCause()).getMessage());
    } finally {
      vertx.close();
    }
  }
}
