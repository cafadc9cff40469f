package dev.fleetvault.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class WsFrameAndErrorCodeTest {
  @Test
  void wsRequest_generatedRoundTrip_checked() {
    WsRequest r =
        WsRequest.newBuilder()
            .setFrameVersion(1)
            .setId(42)
            .setMethod("Recover1")
            .setToken("tok")
            .setBody(ByteString.copyFrom(new byte[] {1, 2}))
            .build();
    WsRequest back = WireCodec.decode(WsRequest.class, r.toByteArray());
    assertThat(back).isEqualTo(r);
  }

  @Test
  void wsRequest_otherFrameVersion_unknownVersionEvenWithNewFields() {
    WsRequest r =
        WsRequest.newBuilder()
            .setFrameVersion(2)
            .setId(1)
            .setMethod("Status")
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(
                        9,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .build();
    assertThatThrownBy(() -> WireCodec.decode(WsRequest.class, r.toByteArray()))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(WireFormatException.Reason.UNKNOWN_VERSION));
  }

  @Test
  void wsResponse_neitherBodyNorError_refused() {
    WsResponse r = WsResponse.newBuilder().setFrameVersion(1).setId(1).build();
    assertThatThrownBy(() -> WireCodec.check(r)).isInstanceOf(WireFormatException.class);
  }

  @Test
  void wsResponse_unknownErrorCodeValue_readAsInternal() {
    byte[] bytes =
        WsResponse.newBuilder()
            .setFrameVersion(1)
            .setId(3)
            .setError(WsError.newBuilder().setCodeValue(999).setMessage("new"))
            .build()
            .toByteArray();
    WsResponse r = WireCodec.decode(WsResponse.class, bytes);
    assertThat(ErrorCodes.of(r.getError().getCode())).isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
  }

  @Test
  void errorCodes_wireNamesAndStatuses_oneMapping() {
    assertThat(ErrorCodes.wireName(ErrorCode.ERROR_CODE_NO_MAJORITY)).isEqualTo("no_majority");
    assertThat(ErrorCodes.fromWireName("no_majority")).isEqualTo(ErrorCode.ERROR_CODE_NO_MAJORITY);
    assertThat(ErrorCodes.fromWireName("NO_MAJORITY")).isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
    assertThat(ErrorCodes.fromWireName("unspecified")).isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
    assertThat(ErrorCodes.fromWireName("whatever")).isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
    assertThat(ErrorCodes.sent())
        .hasSize(ErrorCode.values().length - 2); // not UNSPECIFIED, UNRECOGNIZED
    for (ErrorCode c : ErrorCodes.sent()) {
      assertThat(ErrorCodes.fromWireName(ErrorCodes.wireName(c))).isEqualTo(c);
      assertThat(ErrorCodes.grpcStatus(c)).isBetween(1, 16);
      // the fallback from a bare status lands on a code with that same status
      assertThat(ErrorCodes.grpcStatus(ErrorCodes.fromGrpcStatus(ErrorCodes.grpcStatus(c))))
          .isEqualTo(ErrorCodes.grpcStatus(c));
    }
    assertThat(ErrorCodes.retryable(ErrorCode.ERROR_CODE_TIMEOUT)).isTrue();
    assertThat(ErrorCodes.retryable(ErrorCode.ERROR_CODE_REPLAYED)).isFalse();
  }
}
