package dev.fleetvault.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.wire.WireFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  private static SealedRequest envelope(int member) {
    return SealedRequest.newBuilder()
        .setMember(member)
        .setEnc(ByteString.copyFrom(new byte[65]))
        .setCiphertext(ByteString.copyFrom(new byte[40]))
        .build();
  }

  private static Recover1Request valid() {
    return Recover1Request.newBuilder()
        .setVersion(1)
        .setSuite(1)
        .setUserId(ByteString.copyFromUtf8("u"))
        .addRequests(envelope(1))
        .addRequests(envelope(2))
        .build();
  }

  private static Reason reasonOf(Runnable r) {
    try {
      r.run();
    } catch (WireFormatException e) {
      return e.reason();
    }
    throw new AssertionError("no WireFormatException");
  }

  @Test
  void decode_valid_roundTrips() {
    Recover1Request m = valid();
    assertThat(WireCodec.decode(Recover1Request.class, m.toByteArray())).isEqualTo(m);
    assertThat(WireCodec.encode(m)).isEqualTo(m.toByteArray());
  }

  @Test
  void decode_truncated_refusedUnlessCutAtAFieldBoundary() {
    byte[] b = valid().toByteArray();
    int refused = 0;
    for (int cut = 1; cut < b.length; cut++) {
      byte[] t = Arrays.copyOf(b, cut);
      try {
        Recover1Request m = WireCodec.decode(Recover1Request.class, t);
        // protobuf has no end marker: a cut between two fields is a shorter valid message
        // (transports frame
        // messages, PROTOCOL.md "Framing"); it must then be exactly that message, never a misparse
        assertThat(m.toByteArray()).as("cut at %d", cut).isEqualTo(t);
      } catch (WireFormatException e) {
        assertThat(e.reason())
            .isIn(
                Reason.MALFORMED,
                Reason.INVALID_FIELD,
                Reason.UNKNOWN_VERSION,
                Reason.UNKNOWN_SUITE);
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(b.length - 4);
    assertThat(
            reasonOf(() -> WireCodec.decode(Recover1Request.class, Arrays.copyOf(b, b.length - 3))))
        .isEqualTo(Reason.MALFORMED);
  }

  @Test
  void decode_oversized_tooLargeBeforeParsing() {
    byte[] big = new byte[WireLimits.MAX_CLIENT_REQUEST + 1];
    assertThat(reasonOf(() -> WireCodec.decode(Recover1Request.class, big)))
        .isEqualTo(Reason.TOO_LARGE);
    byte[] bigMember = new byte[WireLimits.MAX_MEMBER_REQUEST + 1];
    assertThat(reasonOf(() -> WireCodec.decode(MemberRequest.class, bigMember)))
        .isEqualTo(Reason.TOO_LARGE);
    assertThat(
            reasonOf(
                () ->
                    WireCodec.decode(Recover1Payload.class, new byte[WireLimits.MAX_PAYLOAD + 1])))
        .isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void decode_unknownVersionOrSuite_refused() {
    assertThat(
            reasonOf(
                () ->
                    WireCodec.decode(
                        Recover1Request.class,
                        valid().toBuilder().setVersion(2).build().toByteArray())))
        .isEqualTo(Reason.UNKNOWN_VERSION);
    assertThat(
            reasonOf(
                () ->
                    WireCodec.decode(
                        Recover1Request.class,
                        valid().toBuilder().setVersion(0).build().toByteArray())))
        .isEqualTo(Reason.UNKNOWN_VERSION);
    assertThat(
            reasonOf(
                () ->
                    WireCodec.decode(
                        Recover1Request.class,
                        valid().toBuilder().setSuite(7).build().toByteArray())))
        .isEqualTo(Reason.UNKNOWN_SUITE);
    assertThat(reasonOf(() -> WireCodec.check(StatusRequest.newBuilder().setVersion(1).build())))
        .isEqualTo(Reason.UNKNOWN_SUITE);
    assertThatThrownBy(
            () ->
                WireCodec.decode(
                    MemberRecord.class,
                    MemberRecord.newBuilder().setFormat(9).build().toByteArray()))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("format");
  }

  @Test
  void decode_unknownField_refusedAtAnyDepth() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeUInt32(99, 1);
    c.flush();
    byte[] extra = out.toByteArray();
    byte[] top = concat(valid().toByteArray(), extra);
    assertThat(reasonOf(() -> WireCodec.decode(Recover1Request.class, top)))
        .isEqualTo(Reason.UNKNOWN_FIELD);
    SealedRequest nested =
        SealedRequest.parser().parseFrom(concat(envelope(1).toByteArray(), extra));
    Recover1Request withNested = valid().toBuilder().setRequests(0, nested).build();
    assertThat(reasonOf(() -> WireCodec.check(withNested))).isEqualTo(Reason.UNKNOWN_FIELD);
  }

  @Test
  void check_fieldRules_invalidField() {
    List<Message> bad =
        List.of(
            valid().toBuilder().setUserId(ByteString.EMPTY).build(),
            valid().toBuilder()
                .setUserId(ByteString.copyFrom(new byte[WireLimits.MAX_USER_ID + 1]))
                .build(),
            valid().toBuilder().clearRequests().build(),
            valid().toBuilder().addRequests(envelope(1)).build(), // duplicate member
            valid().toBuilder().setRequests(0, envelope(0)).build(), // member 0
            valid().toBuilder()
                .setRequests(0, envelope(1).toBuilder().setEnc(ByteString.copyFrom(new byte[64])))
                .build(),
            valid().toBuilder()
                .setRequests(
                    0, envelope(1).toBuilder().setCiphertext(ByteString.copyFrom(new byte[15])))
                .build(),
            Recover1Payload.newBuilder()
                .setRecordVersion(1)
                .setBlindedElement(ByteString.copyFrom(new byte[32]))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .build(),
            Recover1Payload.newBuilder()
                .setRecordVersion(0)
                .setBlindedElement(ByteString.copyFrom(new byte[33]))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .setGeneration(1)
                .build(),
            Recover1Payload.newBuilder()
                .setRecordVersion(1)
                .setBlindedElement(ByteString.copyFrom(new byte[33]))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .build(), // generation 0
            Recover1Payload.newBuilder()
                .setRecordVersion(WireLimits.MAX_RECORD_VERSION + 1)
                .setGeneration(1)
                .setBlindedElement(ByteString.copyFrom(new byte[33]))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .build(),
            Register1Reply.newBuilder()
                .setStatus(ReplyStatus.REPLY_STATUS_OK)
                .setCurrentVersion(Long.MAX_VALUE)
                .build(),
            Recover2Reply.newBuilder().build(), // status unspecified
            Recover2Reply.newBuilder().setStatusValue(42).build(), // unknown status
            Recover0Response.newBuilder()
                .setVersion(1)
                .setSuite(1)
                .addResults(MemberResult.newBuilder().setMember(1))
                .build(), // no outcome
            Recover0Response.newBuilder()
                .setVersion(1)
                .setSuite(1)
                .setValidationBundle(
                    ByteString.copyFrom(new byte[WireLimits.MAX_VALIDATION_BUNDLE + 1]))
                .build());
    for (Message m : bad) {
      assertThatThrownBy(() -> WireCodec.check(m))
          .as(m.getClass().getSimpleName())
          .isInstanceOf(WireFormatException.class);
    }
  }

  @Test
  void decode_notOurType_illegalArgument() {
    assertThatThrownBy(() -> WireCodec.decode(com.google.protobuf.Empty.class, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a fleetvault.v1 wire message");
  }

  @Test
  void everyGeneratedMessage_hasARule() throws Exception {
    int checked = 0;
    for (com.google.protobuf.Descriptors.FileDescriptor fd :
        List.of(
            CommonProto.getDescriptor(),
            VaultProto.getDescriptor(),
            MemberProto.getDescriptor(),
            PayloadsProto.getDescriptor(),
            RecordProto.getDescriptor())) {
      for (com.google.protobuf.Descriptors.Descriptor d : fd.getMessageTypes()) {
        if (d.getName().equals("MemberResult") || d.getName().equals("MemberUnavailable")) {
          continue; // only ever checked inside a response
        }
        if (d.getName().startsWith("Passkey")) {
          continue; // only ever checked inside Register2Payload, Recover1Payload and MemberRecord
        }
        @SuppressWarnings("unchecked")
        Class<? extends Message> type =
            (Class<? extends Message>) Class.forName("dev.fleetvault.protocol.wire." + d.getName());
        assertThat(WireCodec.maxSize(type)).as(d.getName()).isPositive();
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(30);
  }

  @Test
  void limits_holdTheLargestHonestMessages() {
    int n = WireLimits.MAX_MEMBERS;
    Register2Payload.Builder p =
        Register2Payload.newBuilder()
            .setRecordVersion(WireLimits.MAX_RECORD_VERSION)
            .setThreshold(n)
            .setMembers(n)
            .setGuessLimit(WireLimits.MAX_GUESS_LIMIT)
            .setPinParams("x".repeat(WireLimits.MAX_PIN_PARAMS_ID))
            .setRegistrationSalt(ByteString.copyFrom(new byte[32]))
            .setOprfKeyShare(ByteString.copyFrom(new byte[32]))
            .setMaskedDataShare(ByteString.copyFrom(new byte[32]))
            .setUnlockTag(ByteString.copyFrom(new byte[32]))
            .setSecretCiphertext(ByteString.copyFrom(new byte[WireLimits.MAX_SECRET_CIPHERTEXT]));
    for (int i = 0; i < n; i++) {
      p.addCommitments(ByteString.copyFrom(new byte[33]));
    }
    Register2Payload payload = WireCodec.check(p.build());
    assertThat(payload.getSerializedSize() + WireLimits.AEAD_TAG)
        .isLessThanOrEqualTo(WireLimits.MAX_PAYLOAD + WireLimits.AEAD_TAG);
    SealedRequest env =
        WireCodec.check(
            SealedRequest.newBuilder()
                .setMember(n)
                .setEnc(ByteString.copyFrom(new byte[65]))
                .setCiphertext(
                    ByteString.copyFrom(new byte[WireLimits.MAX_PAYLOAD + WireLimits.AEAD_TAG]))
                .build());
    Register2Request.Builder r =
        Register2Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(ByteString.copyFrom(new byte[WireLimits.MAX_USER_ID]))
            .setKnownBundleEpoch(Long.MAX_VALUE);
    for (int i = 1; i <= n; i++) {
      r.addRequests(env.toBuilder().setMember(i));
    }
    WireCodec.check(r.build());
    WireCodec.check(
        EdgeMessages.toMember(ByteString.copyFrom(new byte[WireLimits.MAX_USER_ID]), env));
    MemberRecord.Builder rec =
        MemberRecord.newBuilder()
            .setFormat(1)
            .setSuite(1)
            .setUserId(ByteString.copyFrom(new byte[WireLimits.MAX_USER_ID]))
            .setMember(n)
            .setRecordVersion(WireLimits.MAX_RECORD_VERSION)
            .setThreshold(n)
            .setMembers(n)
            .setGuessLimit(WireLimits.MAX_GUESS_LIMIT)
            .setPinParams(payload.getPinParams())
            .setRegistrationSalt(payload.getRegistrationSalt())
            .setOprfKeyShare(payload.getOprfKeyShare())
            .addAllCommitments(payload.getCommitmentsList())
            .setMaskedDataShare(payload.getMaskedDataShare())
            .setUnlockTag(payload.getUnlockTag())
            .setSecretCiphertext(payload.getSecretCiphertext());
    WireCodec.check(rec.build());
    // passkey entries (PROTOCOL.md 4.4 and 21): every passkey field at its largest
    Register2Payload passkeyPayload =
        WireCodec.check(
            p.setPinParams("passkey-prf-v1")
                .setPasskey(
                    PasskeyCredential.newBuilder()
                        .setCredentialId(ByteString.copyFrom(new byte[255]))
                        .setSpkiPublicKey(ByteString.copyFrom(new byte[300]))
                        .setPublicKeyAlgorithm(-257)
                        .setUserHandle(ByteString.copyFrom(new byte[64])))
                .build());
    assertThat(passkeyPayload.getSerializedSize()).isLessThanOrEqualTo(WireLimits.MAX_PAYLOAD);
    PasskeyRecord.Builder pr =
        PasskeyRecord.newBuilder()
            .setCredentialId(ByteString.copyFrom(new byte[255]))
            .setCosePublicKey(ByteString.copyFrom(new byte[300]))
            .setRpId("r".repeat(253))
            .setUserHandle(ByteString.copyFrom(new byte[64]));
    for (int i = 0; i < 8; i++) {
      pr.addAllowedOrigins("o".repeat(200));
    }
    WireCodec.check(rec.setPinParams("passkey-prf-v1").setPasskey(pr).build());
    Recover1Payload recover1 =
        WireCodec.check(
            Recover1Payload.newBuilder()
                .setRecordVersion(WireLimits.MAX_RECORD_VERSION)
                .setGeneration(Long.MAX_VALUE)
                .setBlindedElement(ByteString.copyFrom(new byte[33]))
                .setNonce(ByteString.copyFrom(new byte[32]))
                .setPasskeyAssertion(
                    PasskeyAssertion.newBuilder()
                        .setCredentialId(ByteString.copyFrom(new byte[255]))
                        .setAuthenticatorData(ByteString.copyFrom(new byte[256]))
                        .setClientDataJson(ByteString.copyFrom(new byte[1024]))
                        .setSignature(ByteString.copyFrom(new byte[256]))
                        .setUserHandle(ByteString.copyFrom(new byte[64])))
                .build());
    assertThat(recover1.getSerializedSize()).isLessThanOrEqualTo(WireLimits.MAX_PAYLOAD);
    Recover0Response.Builder resp =
        Recover0Response.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setValidationBundle(ByteString.copyFrom(new byte[WireLimits.MAX_VALIDATION_BUNDLE]));
    for (int i = 1; i <= n; i++) {
      resp.addResults(
          EdgeMessages.answered(
              MemberResponse.newBuilder()
                  .setVersion(1)
                  .setSuite(1)
                  .setAnswer(
                      SealedAnswer.newBuilder()
                          .setMember(i)
                          .setNonce(ByteString.copyFrom(new byte[12]))
                          .setCiphertext(
                              ByteString.copyFrom(
                                  new byte[WireLimits.MAX_REPLY + WireLimits.AEAD_TAG])))
                  .build()));
    }
    WireCodec.check(resp.build());
  }

  @Test
  void edgeMessages_unavailableReason_cutToLimit() {
    MemberResult r = EdgeMessages.unavailable(3, "é".repeat(500));
    assertThat(
            r.getUnavailable().getReason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(WireLimits.MAX_REASON);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] o = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, o, a.length, b.length);
    return o;
  }
}
