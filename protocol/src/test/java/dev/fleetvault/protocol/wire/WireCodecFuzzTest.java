package dev.fleetvault.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Message;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target: {@link WireCodec#decode} for every fleetvault.v1 message type, the bytes an edge or
 * member takes from the network (client requests, WebSocket frames, member requests and responses,
 * sealed envelopes and answers, the payloads and replies inside them, sealed member records).
 *
 * <p>Input: byte 0 picks the type (index into {@link #TYPES}, modulo its size), the rest is the
 * encoding. Property: decode either returns a message that passes {@link WireCodec#check} and
 * re-encodes to a message that decodes equal (round trip), or throws {@link WireFormatException};
 * no other exception, no hang. The committed corpus ({@code
 * WireCodecFuzzTestInputs/decode_anyType}) holds a valid sample of several types.
 */
public class WireCodecFuzzTest {
  /** Every type {@link WireCodec} supports; the order is the corpus' type byte, append only. */
  public static final List<Class<? extends Message>> TYPES =
      List.of(
          Register1Request.class,
          Register2Request.class,
          Recover0Request.class,
          Recover1Request.class,
          Recover2Request.class,
          DeleteRequest.class,
          StatusRequest.class,
          Register1Response.class,
          Register2Response.class,
          Recover0Response.class,
          Recover1Response.class,
          Recover2Response.class,
          DeleteResponse.class,
          StatusResponse.class,
          WsRequest.class,
          WsResponse.class,
          MemberRequest.class,
          MemberResponse.class,
          SealedRequest.class,
          SealedAnswer.class,
          MemberRecord.class,
          Register1Payload.class,
          Register1Reply.class,
          Register2Payload.class,
          Register2Reply.class,
          Recover0Payload.class,
          Recover0Reply.class,
          Recover1Payload.class,
          Recover1Reply.class,
          Recover2Payload.class,
          Recover2Reply.class,
          DeletePayload.class,
          DeleteReply.class);

  @FuzzTest
  void decode_anyType(byte[] data) {
    if (data.length == 0) {
      return;
    }
    Class<? extends Message> type = TYPES.get(Byte.toUnsignedInt(data[0]) % TYPES.size());
    byte[] encoding = Arrays.copyOfRange(data, 1, data.length);
    Message m;
    try {
      m = WireCodec.decode(type, encoding);
    } catch (WireFormatException e) {
      assertThat(e.reason()).isNotNull();
      assertThat(e.getMessage()).contains(type.getSimpleName());
      return;
    }
    assertThat(m).isInstanceOf(type);
    assertThat(encoding.length).isLessThanOrEqualTo(WireCodec.maxSize(type));
    byte[] again = WireCodec.encode(m);
    assertThat(WireCodec.decode(type, again)).isEqualTo(m);
  }
}
