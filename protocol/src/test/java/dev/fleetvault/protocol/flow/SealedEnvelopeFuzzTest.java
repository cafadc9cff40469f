package dev.fleetvault.protocol.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.protocol.flow.parts.Envelopes;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.SealedAnswer;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * Fuzz target: a member opening a sealed envelope ({@link MemberLogic#encForHsm} then {@link
 * MemberLogic#open}) and a client opening a sealed answer ({@code Envelopes.openAnswer}), on bytes
 * from the network.
 *
 * <p>Input: byte 0 picks the phase (1..6) and whether the rest is a {@link MemberRequest} (even) or
 * a {@link SealedAnswer} (odd). Properties: the member either opens the envelope or throws {@link
 * WireFormatException} / {@link BadRequestException}; the client either opens the answer or throws
 * {@link WireFormatException} / {@link AEADBadTagException}. (An enc that encForHsm accepts but
 * that does not parse would surface as InvalidEncodingException: a finding.)
 */
class SealedEnvelopeFuzzTest {
  static final String FLEET = "fuzz-fleet";
  static final String APP = "fuzz-app";

  /** Fixed so that the committed corpus holds envelopes that really open. */
  static final HpkeKeyPair MEMBER_KEY =
      HpkeKeyPair.derive(
          "fleetvault fuzz member 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  static final MemberLogic MEMBER =
      new MemberLogic(
          1,
          MEMBER_KEY.publicKey().encodeUncompressed(),
          FLEET,
          RegistrationPolicy.production(3).allowingTestPinParams(),
          new SecureRandom());

  /** The answer key the committed answers are sealed under. */
  static final byte[] ANSWER_KEY = new byte[16];

  @FuzzTest
  void open_requestOrAnswer(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int sel = Byte.toUnsignedInt(data[0]);
    Phase phase = Phase.forNumber(1 + (sel >> 1) % 6);
    byte[] rest = Arrays.copyOfRange(data, 1, data.length);
    if ((sel & 1) == 0) {
      member(phase, rest);
    } else {
      client(phase, rest);
    }
  }

  private static void member(Phase phase, byte[] bytes) {
    try {
      MemberRequest req = WireCodec.decode(MemberRequest.class, bytes);
      byte[] enc = MEMBER.encForHsm(req);
      byte[] dh = Ecdh.sharedSecretX(MEMBER_KEY.privateKey(), Hpke.parseEnc(enc));
      try (OpenedRequest opened = MEMBER.open(phase, req, APP, dh)) {
        assertThat(opened.phase()).isEqualTo(phase);
        assertThat(opened.member()).isEqualTo(1);
        assertThat(opened.userId()).isEqualTo(req.getUserId().toByteArray());
      }
    } catch (WireFormatException | BadRequestException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static void client(Phase phase, byte[] bytes) {
    try {
      SealedAnswer answer = WireCodec.decode(SealedAnswer.class, bytes);
      byte[] plain =
          Envelopes.openAnswer(
              SecretBytes.copyOf(ANSWER_KEY), phase, 1, FLEET, APP, new byte[] {'u'}, answer);
      assertThat(plain).isNotNull();
    } catch (WireFormatException | AEADBadTagException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
