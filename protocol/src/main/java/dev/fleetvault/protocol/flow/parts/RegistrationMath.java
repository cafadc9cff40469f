package dev.fleetvault.protocol.flow.parts;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.aead.AesGcm;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.OprfKeyPair;
import dev.fleetvault.protocol.oprf.OprfServer;
import dev.fleetvault.protocol.passkey.PasskeyDerivations;
import dev.fleetvault.protocol.pin.Argon2id;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.shamir.Shamir;
import dev.fleetvault.protocol.shamir.Share;
import dev.fleetvault.protocol.threshold.MemberKeyShare;
import dev.fleetvault.protocol.threshold.ThresholdOprfKeys;
import dev.fleetvault.protocol.wire.Register2Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registration computation of PROTOCOL.md "Registration", deterministic given its random inputs
 * (so the worked example can be recomputed).
 *
 * <p>API for {@code Registration} and for tests and tools that build registration payloads
 * themselves (any version, threshold or PIN parameters). Guarantees: pure and deterministic given
 * the {@link Inputs} (all randomness is in them); intermediate secrets are wiped before returning;
 * nothing is checked against a fleet's policy here (members do that).
 */
public final class RegistrationMath {
  private RegistrationMath() {}

  /**
   * The random and public inputs of one registration.
   *
   * @param kCoefficients polynomial for the OPRF key: [k, a_1 .. a_{t-1}], all non-zero k
   * @param dCoefficients polynomial for the data key: [d, b_1 .. b_{t-1}], d non-zero
   * @param pinParams the PIN parameter set id: an Argon2id set, or {@code passkey-prf-v1}
   * @param secretNonce 12-byte AES-GCM nonce for the secret
   */
  public record Inputs(
      byte[] userId,
      String fleetId,
      String pinParams,
      long version,
      int guessLimit,
      int n,
      int t,
      byte[] registrationSalt,
      List<Scalar> kCoefficients,
      List<Scalar> dCoefficients,
      byte[] secretNonce) {
    /** Inputs of a PIN registration with Argon2id set {@code params}. */
    public Inputs(
        byte[] userId,
        String fleetId,
        Argon2idParameters params,
        long version,
        int guessLimit,
        int n,
        int t,
        byte[] registrationSalt,
        List<Scalar> kCoefficients,
        List<Scalar> dCoefficients,
        byte[] secretNonce) {
      this(
          userId,
          fleetId,
          params.id(),
          version,
          guessLimit,
          n,
          t,
          registrationSalt,
          kCoefficients,
          dCoefficients,
          secretNonce);
    }
  }

  /**
   * The OPRF input p' for PIN parameter set {@code pinParams}: Argon2id (6.1), or for {@code
   * passkey-prf-v1} HMAC-SHA256(prf output, pin salt) (21.2); {@code input} is the PIN or the
   * 32-byte PRF output.
   */
  public static SecretBytes stretch(
      SecretBytes input, byte[] userId, String fleetId, String pinParams, byte[] registrationSalt) {
    if (PasskeyDerivations.isPasskeyParams(pinParams)) {
      return PasskeyDerivations.oprfInput(
          input, Derive.pinSalt(userId, fleetId, pinParams, registrationSalt));
    }
    return stretch(input, userId, fleetId, Argon2idParameters.forId(pinParams), registrationSalt);
  }

  /** p' = Argon2id(pin, pinSalt(u, fleet, params, registration salt)). */
  public static SecretBytes stretch(
      SecretBytes pin,
      byte[] userId,
      String fleetId,
      Argon2idParameters params,
      byte[] registrationSalt) {
    return Argon2id.stretchPin(
        pin, Derive.pinSalt(userId, fleetId, params.id(), registrationSalt), params);
  }

  /** y = OPRF(k, p') (RFC 9497 mode 0, P256-SHA256). */
  public static SecretBytes oprfOutput(Scalar k, SecretBytes stretchedPin) {
    byte[] in = stretchedPin.copy();
    try {
      return OprfServer.oprf(OprfKeyPair.fromPrivateKey(k)).evaluate(in);
    } finally {
      Derive.wipe(in);
    }
  }

  /** The Register2Payload of every member, by index. */
  public static Map<Integer, Register2Payload> payloads(
      SecretBytes pin, SecretBytes secret, Inputs in) {
    ThresholdOprfKeys keys = ThresholdOprfKeys.fromCoefficients(in.kCoefficients(), in.n());
    List<Share> dShares = Shamir.splitWithCoefficients(in.dCoefficients(), in.n());
    List<ByteString> commitments = new ArrayList<>();
    for (GroupElement c : keys.commitments()) {
      commitments.add(ByteString.copyFrom(c.encodeCompressed()));
    }
    byte[] ciphertext;
    try (SecretBytes dataKey = SecretBytes.wrap(in.dCoefficients().get(0).encode())) {
      byte[] s = secret.copy();
      try {
        byte[] ct =
            AesGcm.encrypt(
                dataKey, in.secretNonce(), Derive.secretAad(in.userId(), in.version()), s);
        ciphertext = Derive.concat(in.secretNonce(), ct);
      } finally {
        Derive.wipe(s);
      }
    }
    Map<Integer, Register2Payload> out = new TreeMap<>();
    try (SecretBytes p =
            stretch(pin, in.userId(), in.fleetId(), in.pinParams(), in.registrationSalt());
        SecretBytes y = oprfOutput(in.kCoefficients().get(0), p);
        SecretBytes unlockKey = Derive.unlockKey(y);
        SecretBytes maskKey = Derive.maskKey(y)) {
      for (int i = 1; i <= in.n(); i++) {
        MemberKeyShare ki = keys.shares().get(i - 1);
        byte[] di = dShares.get(i - 1).y().encode();
        byte[] masked;
        try (SecretBytes mask = Derive.shareMask(maskKey, i)) {
          byte[] m = mask.copy();
          masked = Derive.xor(di, m);
          Derive.wipe(m, di);
        }
        byte[] kiBytes = ki.share().encode();
        out.put(
            i,
            Register2Payload.newBuilder()
                .setRecordVersion(in.version())
                .setThreshold(in.t())
                .setMembers(in.n())
                .setGuessLimit(in.guessLimit())
                .setPinParams(in.pinParams())
                .setRegistrationSalt(ByteString.copyFrom(in.registrationSalt()))
                .setOprfKeyShare(ByteString.copyFrom(kiBytes))
                .addAllCommitments(commitments)
                .setMaskedDataShare(ByteString.copyFrom(masked))
                .setUnlockTag(ByteString.copyFrom(Derive.unlockTag(unlockKey, i)))
                .setSecretCiphertext(ByteString.copyFrom(ciphertext))
                .build());
        Derive.wipe(kiBytes);
      }
    }
    return out;
  }
}
