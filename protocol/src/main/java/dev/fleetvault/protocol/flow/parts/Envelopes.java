package dev.fleetvault.protocol.flow.parts;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.aead.AesGcm;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.hpke.Hpke;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.hpke.HpkeRecipientContext;
import dev.fleetvault.protocol.hpke.HpkeSenderContext;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.SealedAnswer;
import dev.fleetvault.protocol.wire.SealedRequest;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;

/**
 * Request envelopes (HPKE base mode to the member) and answers (AES-128-GCM under a key exported
 * from the request's HPKE context), PROTOCOL.md "Envelopes" and "Answers".
 *
 * <p>API for clients, members and for tests and tools that seal requests themselves. Guarantees:
 * byte for byte as the specification (the worked example recomputes them); the sealed request is
 * bound through the HPKE info to its phase, member, fleet, app and user, so it opens only in that
 * context; a request or answer that does not authenticate is an exception, never partial output;
 * answer keys are {@link dev.fleetvault.protocol.secret.SecretBytes} the caller wipes.
 */
public final class Envelopes {
  private static final byte[] EMPTY = new byte[0];

  private Envelopes() {}

  /** A sealed request and the key its answer will be sealed under (client keeps the key). */
  public record Sealed(SealedRequest request, SecretBytes answerKey) {}

  /** Client: seals {@code payload} for member {@code member} with a fresh ephemeral key. */
  public static Sealed seal(
      GroupElement memberKey,
      int member,
      Phase phase,
      String fleetId,
      String appId,
      byte[] userId,
      Message payload,
      SecureRandom random) {
    return seal(
        memberKey, member, phase, fleetId, appId, userId, payload, HpkeKeyPair.generate(random));
  }

  /** Client: seals with the given ephemeral key pair (deterministic; worked example). */
  public static Sealed seal(
      GroupElement memberKey,
      int member,
      Phase phase,
      String fleetId,
      String appId,
      byte[] userId,
      Message payload,
      HpkeKeyPair ephemeral) {
    byte[] pt = payload.toByteArray();
    byte[] info = Derive.requestInfo(phase, member, fleetId, appId, userId);
    try (HpkeSenderContext ctx = Hpke.setupBaseSender(memberKey, info, ephemeral)) {
      byte[] ct = ctx.seal(EMPTY, pt);
      SecretBytes key =
          SecretBytes.wrap(ctx.export(Derive.answerKeyContext(), Derive.ANSWER_KEY_LENGTH));
      SealedRequest req =
          SealedRequest.newBuilder()
              .setMember(member)
              .setEnc(ByteString.copyFrom(ctx.enc()))
              .setCiphertext(ByteString.copyFrom(ct))
              .build();
      return new Sealed(req, key);
    } finally {
      Derive.wipe(pt);
    }
  }

  /** An opened request: the payload bytes and the answer key. */
  public record Opened(byte[] payload, SecretBytes answerKey) {}

  /**
   * Member: opens {@code request} given the HSM's DH result; throws AEADBadTagException if it was
   * not sealed to this member for this phase and user.
   */
  public static Opened open(
      SealedRequest request,
      GroupElement memberKey,
      SecretBytes dhX,
      Phase phase,
      String fleetId,
      String appId,
      byte[] userId)
      throws AEADBadTagException {
    byte[] enc = request.getEnc().toByteArray();
    try (HpkeRecipientContext ctx =
        Hpke.setupBaseRecipientFromDh(
            enc,
            memberKey,
            dhX,
            Derive.requestInfo(phase, request.getMember(), fleetId, appId, userId))) {
      byte[] pt = ctx.open(EMPTY, request.getCiphertext().toByteArray());
      SecretBytes key =
          SecretBytes.wrap(ctx.export(Derive.answerKeyContext(), Derive.ANSWER_KEY_LENGTH));
      return new Opened(pt, key);
    }
  }

  /** Member: seals {@code reply} to the client with a random nonce. */
  public static SealedAnswer answer(
      SecretBytes answerKey,
      Phase phase,
      int member,
      String fleetId,
      String appId,
      byte[] userId,
      Message reply,
      SecureRandom random) {
    byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    random.nextBytes(nonce);
    return answer(answerKey, phase, member, fleetId, appId, userId, reply, nonce);
  }

  /** Member: seals {@code reply} with the given nonce (deterministic; worked example). */
  public static SealedAnswer answer(
      SecretBytes answerKey,
      Phase phase,
      int member,
      String fleetId,
      String appId,
      byte[] userId,
      Message reply,
      byte[] nonce) {
    byte[] pt = reply.toByteArray();
    try {
      byte[] ct =
          AesGcm.encrypt(
              answerKey, nonce, Derive.answerAad(phase, member, fleetId, appId, userId), pt);
      return SealedAnswer.newBuilder()
          .setMember(member)
          .setNonce(ByteString.copyFrom(nonce))
          .setCiphertext(ByteString.copyFrom(ct))
          .build();
    } finally {
      Derive.wipe(pt);
    }
  }

  /**
   * Client: opens an answer; throws AEADBadTagException if it is not member {@code member}'s answer
   * to our request.
   */
  public static byte[] openAnswer(
      SecretBytes answerKey,
      Phase phase,
      int member,
      String fleetId,
      String appId,
      byte[] userId,
      SealedAnswer answer)
      throws AEADBadTagException {
    if (answer.getMember() != member) {
      throw new AEADBadTagException("answer is labelled for another member");
    }
    return AesGcm.decrypt(
        answerKey,
        answer.getNonce().toByteArray(),
        Derive.answerAad(phase, member, fleetId, appId, userId),
        answer.getCiphertext().toByteArray());
  }
}
