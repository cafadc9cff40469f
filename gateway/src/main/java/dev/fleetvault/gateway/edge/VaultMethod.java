package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.fleetvault.protocol.wire.DeleteRequest;
import dev.fleetvault.protocol.wire.DeleteResponse;
import dev.fleetvault.protocol.wire.MemberGrpcClient;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.MemberResult;
import dev.fleetvault.protocol.wire.Phase;
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
import dev.fleetvault.protocol.wire.SealedRequest;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The fan-out methods of the client-facing {@code Vault} service (all but {@code Status}),
 * described once so that gRPC and WebSocket share one implementation: how to parse the request,
 * read its common fields, build the response, and which {@code Member} rpc and {@link Phase} it
 * forwards to.
 */
public enum VaultMethod {
  /** Register, round 1. */
  REGISTER1(
      "Register1",
      Phase.PHASE_REGISTER1,
      Register1Request.parser(),
      MemberGrpcClient.Register1,
      m ->
          view(
              ((Register1Request) m).getVersion(),
              ((Register1Request) m).getSuite(),
              ((Register1Request) m).getUserId(),
              ((Register1Request) m).getRequestsList(),
              ((Register1Request) m).getKnownBundleEpoch(),
              ((Register1Request) m).getKnownTreeSize()),
      (r, b) ->
          Register1Response.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .addAllResults(r)
              .setValidationBundle(b)
              .build()),
  /** Register, round 2 (commits through consensus). */
  REGISTER2(
      "Register2",
      Phase.PHASE_REGISTER2,
      Register2Request.parser(),
      MemberGrpcClient.Register2,
      m ->
          view(
              ((Register2Request) m).getVersion(),
              ((Register2Request) m).getSuite(),
              ((Register2Request) m).getUserId(),
              ((Register2Request) m).getRequestsList(),
              ((Register2Request) m).getKnownBundleEpoch(),
              ((Register2Request) m).getKnownTreeSize()),
      (r, b) ->
          Register2Response.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .addAllResults(r)
              .setValidationBundle(b)
              .build()),
  /** Recover, phase 0 (free). */
  RECOVER0(
      "Recover0",
      Phase.PHASE_RECOVER0,
      Recover0Request.parser(),
      MemberGrpcClient.Recover0,
      m ->
          view(
              ((Recover0Request) m).getVersion(),
              ((Recover0Request) m).getSuite(),
              ((Recover0Request) m).getUserId(),
              ((Recover0Request) m).getRequestsList(),
              ((Recover0Request) m).getKnownBundleEpoch(),
              ((Recover0Request) m).getKnownTreeSize()),
      (r, b) ->
          Recover0Response.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .addAllResults(r)
              .setValidationBundle(b)
              .build()),
  /** Recover, phase 1 (the counted guess). */
  RECOVER1(
      "Recover1",
      Phase.PHASE_RECOVER1,
      Recover1Request.parser(),
      MemberGrpcClient.Recover1,
      m ->
          view(
              ((Recover1Request) m).getVersion(),
              ((Recover1Request) m).getSuite(),
              ((Recover1Request) m).getUserId(),
              ((Recover1Request) m).getRequestsList(),
              ((Recover1Request) m).getKnownBundleEpoch(),
              ((Recover1Request) m).getKnownTreeSize()),
      (r, b) ->
          Recover1Response.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .addAllResults(r)
              .setValidationBundle(b)
              .build()),
  /** Recover, phase 2 (unlock tags). */
  RECOVER2(
      "Recover2",
      Phase.PHASE_RECOVER2,
      Recover2Request.parser(),
      MemberGrpcClient.Recover2,
      m ->
          view(
              ((Recover2Request) m).getVersion(),
              ((Recover2Request) m).getSuite(),
              ((Recover2Request) m).getUserId(),
              ((Recover2Request) m).getRequestsList(),
              ((Recover2Request) m).getKnownBundleEpoch(),
              ((Recover2Request) m).getKnownTreeSize()),
      (r, b) ->
          Recover2Response.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .addAllResults(r)
              .setValidationBundle(b)
              .build()),
  /** Delete. */
  DELETE(
      "Delete",
      Phase.PHASE_DELETE,
      DeleteRequest.parser(),
      MemberGrpcClient.Delete,
      m ->
          view(
              ((DeleteRequest) m).getVersion(),
              ((DeleteRequest) m).getSuite(),
              ((DeleteRequest) m).getUserId(),
              ((DeleteRequest) m).getRequestsList(),
              ((DeleteRequest) m).getKnownBundleEpoch(),
              ((DeleteRequest) m).getKnownTreeSize()),
      (r, b) ->
          DeleteResponse.newBuilder()
              .setVersion(1)
              .setSuite(1)
              .addAllResults(r)
              .setValidationBundle(b)
              .build());

  /** The common fields of every fan-out request. */
  public record RequestView(
      int version,
      int suite,
      ByteString userId,
      List<SealedRequest> requests,
      long knownBundleEpoch,
      long knownTreeSize) {}

  private final String rpcName;
  private final Phase phase;
  private final Parser<? extends Message> parser;
  private final ServiceMethod<MemberResponse, MemberRequest> memberRpc;
  private final Function<Message, RequestView> view;
  private final BiFunction<List<MemberResult>, ByteString, Message> response;

  VaultMethod(
      String rpcName,
      Phase phase,
      Parser<? extends Message> parser,
      ServiceMethod<MemberResponse, MemberRequest> memberRpc,
      Function<Message, RequestView> view,
      BiFunction<List<MemberResult>, ByteString, Message> response) {
    this.rpcName = rpcName;
    this.phase = phase;
    this.parser = parser;
    this.memberRpc = memberRpc;
    this.view = view;
    this.response = response;
  }

  private static RequestView view(
      int version,
      int suite,
      ByteString user,
      List<SealedRequest> requests,
      long epoch,
      long treeSize) {
    return new RequestView(version, suite, user, requests, epoch, treeSize);
  }

  /** The rpc name, also the WebSocket {@code method}. */
  public String rpcName() {
    return rpcName;
  }

  /** The phase bound into the envelopes. */
  public Phase phase() {
    return phase;
  }

  /** Parses the request message. */
  public Parser<? extends Message> parser() {
    return parser;
  }

  /** The {@code Member} rpc this forwards to. */
  public ServiceMethod<MemberResponse, MemberRequest> memberRpc() {
    return memberRpc;
  }

  /** Reads the common fields. */
  public RequestView view(Message request) {
    return view.apply(request);
  }

  /** Builds the response from the per-member results and the bundle (empty if none). */
  public Message response(List<MemberResult> results, ByteString bundle) {
    return response.apply(results, bundle);
  }

  /** The method with that rpc name, or null. */
  public static VaultMethod byName(String name) {
    for (VaultMethod m : values()) {
      if (m.rpcName.equals(name)) {
        return m;
      }
    }
    return null;
  }
}
