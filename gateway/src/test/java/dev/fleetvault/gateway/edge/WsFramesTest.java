package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.support.WsTransport;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WsFramesTest {
  @Test
  void decode_documentedFields_roundTrip() {
    byte[] f = WsTransport.encodeBinary(1, 42, "Recover1", "tok", new byte[] {1, 2});
    WsFrames.Request r = WsFrames.decode(f);
    assertThat(r.frameVersion()).isEqualTo(1);
    assertThat(r.id()).isEqualTo(42);
    assertThat(r.method()).isEqualTo("Recover1");
    assertThat(r.token()).isEqualTo("tok");
    assertThat(r.body()).containsExactly(1, 2);
  }

  @Test
  void decode_unknownFieldOrTruncated_badRequest() {
    byte[] f = WsTransport.encodeBinary(1, 42, "Recover1", "tok", new byte[] {1, 2});
    byte[] extra = java.util.Arrays.copyOf(f, f.length + 2);
    extra[f.length] = (byte) (9 << 3);
    extra[f.length + 1] = 1;
    assertThatThrownBy(() -> WsFrames.decode(extra)).isInstanceOfSatisfying(
        FleetvaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    byte[] cut = java.util.Arrays.copyOf(f, f.length - 1);
    assertThatThrownBy(() -> WsFrames.decode(cut)).isInstanceOf(FleetvaultException.class);
  }

  @Test
  void encode_bodyAndError_decodableByClients() {
    Object[] ok = WsTransport.decodeBinary(WsFrames.encodeBody(7, "Status",
        ByteString.copyFromUtf8("x")));
    assertThat(ok[0]).isEqualTo(7L);
    assertThat((byte[]) ok[2]).containsExactly('x');
    Object[] err = WsTransport.decodeBinary(WsFrames.encodeError(8, "Recover1",
        new JsonObject().put("code", "no_majority").put("status", "UNAVAILABLE")
            .put("message", "m")));
    assertThat(err[3]).isEqualTo("no_majority");
    assertThat(err[4]).isEqualTo("UNAVAILABLE");
  }
}
