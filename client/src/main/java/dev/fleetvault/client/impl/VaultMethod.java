package dev.fleetvault.client.impl;

import com.google.protobuf.Message;
import dev.fleetvault.protocol.wire.DeleteRequest;
import dev.fleetvault.protocol.wire.DeleteResponse;
import dev.fleetvault.protocol.wire.Recover0Request;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.Recover2Response;
import dev.fleetvault.protocol.wire.Register1Request;
import dev.fleetvault.protocol.wire.Register1Response;
import dev.fleetvault.protocol.wire.Register2Request;
import dev.fleetvault.protocol.wire.Register2Response;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.VaultGrpcClient;
import io.vertx.grpc.common.ServiceMethod;

/**
 * One method of the {@code fleetvault.v1.Vault} service, as both transports need it: the method
 * name (the WebSocket {@code method} field), the gRPC descriptor and the response type for strict
 * decoding.
 *
 * @param <Q> request type
 * @param <A> response type
 */
public record VaultMethod<Q extends Message, A extends Message>(
    String name, ServiceMethod<A, Q> grpc, Class<A> responseType) {

  /** Register, round 1. */
  public static final VaultMethod<Register1Request, Register1Response> REGISTER1 =
      new VaultMethod<>("Register1", VaultGrpcClient.Register1, Register1Response.class);

  /** Register, round 2. */
  public static final VaultMethod<Register2Request, Register2Response> REGISTER2 =
      new VaultMethod<>("Register2", VaultGrpcClient.Register2, Register2Response.class);

  /** Recover, phase 0. */
  public static final VaultMethod<Recover0Request, Recover0Response> RECOVER0 =
      new VaultMethod<>("Recover0", VaultGrpcClient.Recover0, Recover0Response.class);

  /** Recover, phase 1 (the guess). */
  public static final VaultMethod<Recover1Request, Recover1Response> RECOVER1 =
      new VaultMethod<>("Recover1", VaultGrpcClient.Recover1, Recover1Response.class);

  /** Recover, phase 2. */
  public static final VaultMethod<Recover2Request, Recover2Response> RECOVER2 =
      new VaultMethod<>("Recover2", VaultGrpcClient.Recover2, Recover2Response.class);

  /** Delete. */
  public static final VaultMethod<DeleteRequest, DeleteResponse> DELETE =
      new VaultMethod<>("Delete", VaultGrpcClient.Delete, DeleteResponse.class);

  /** Status. */
  public static final VaultMethod<StatusRequest, StatusResponse> STATUS =
      new VaultMethod<>("Status", VaultGrpcClient.Status, StatusResponse.class);
}
