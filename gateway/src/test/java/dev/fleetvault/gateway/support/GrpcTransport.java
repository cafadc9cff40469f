package dev.fleetvault.gateway.support;

import com.google.protobuf.Message;
import dev.fleetvault.protocol.wire.VaultGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.TimeUnit;

/** Calls the Vault service with the generated Vert.x gRPC client method descriptors. */
public final class GrpcTransport implements VaultTransport {
  private final GrpcClient client;
  private final SocketAddress address;

  /** A client for the edge at host:port. */
  public GrpcTransport(Vertx vertx, String host, int port) {
    this.client =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions(),
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    this.address = SocketAddress.inetSocketAddress(port, host);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends Message> Reply<R> call(
      String method, Message request, String token, R prototype) throws Exception {
    ServiceMethod<R, Message> rpc =
        (ServiceMethod<R, Message>) VaultGrpcClient.class.getField(method).get(null);
    return client
        .request(address, rpc)
        .compose(
            req -> {
              if (token != null) {
                req.headers().set("authorization", "Bearer " + token);
              }
              return req.send(request)
                  .compose(
                      resp ->
                          resp.last()
                              .transform(
                                  ar -> {
                                    GrpcStatus st = resp.status();
                                    if (ar.succeeded() && (st == null || st == GrpcStatus.OK)) {
                                      return io.vertx.core.Future.succeededFuture(
                                          new Reply<R>(ar.result(), null, "OK", null));
                                    }
                                    String code =
                                        resp.trailers() == null
                                            ? null
                                            : resp.trailers().get("fleetvault-error");
                                    if (code == null) {
                                      code = resp.headers().get("fleetvault-error");
                                    }
                                    return io.vertx.core.Future.succeededFuture(
                                        new Reply<R>(
                                            null,
                                            code,
                                            st == null ? "UNKNOWN" : st.name(),
                                            resp.statusMessage()));
                                  }));
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public void close() {
    client.close();
  }
}
