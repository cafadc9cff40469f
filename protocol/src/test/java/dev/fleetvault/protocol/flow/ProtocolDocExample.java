package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.fleetvault.protocol.aead.AesGcm;
import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.flow.parts.Envelopes;
import dev.fleetvault.protocol.flow.parts.RegistrationMath;
import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.HpkeKeyPair;
import dev.fleetvault.protocol.kdf.Hmac;
import dev.fleetvault.protocol.oprf.BlindedInput;
import dev.fleetvault.protocol.oprf.OprfClient;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.shamir.Shamir;
import dev.fleetvault.protocol.shamir.Share;
import dev.fleetvault.protocol.threshold.MemberEvaluation;
import dev.fleetvault.protocol.threshold.MemberKeyShare;
import dev.fleetvault.protocol.threshold.ThresholdOprfClient;
import dev.fleetvault.protocol.threshold.ThresholdOprfKeys;
import dev.fleetvault.protocol.threshold.ThresholdOprfMember;
import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover1Payload;
import dev.fleetvault.protocol.wire.Recover1Reply;
import dev.fleetvault.protocol.wire.Register2Payload;
import dev.fleetvault.protocol.wire.ReplyStatus;
import dev.fleetvault.protocol.wire.SealedAnswer;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Hex;

/**
 * Computes the worked example of docs/PROTOCOL.md from fixed inputs, through the same code the
 * flows use. Every "random" input is SHA-256 of a label, reduced where it must be a scalar, and
 * printed too, so an implementation in another language can start from the listed inputs.
 */
final class ProtocolDocExample {
  private final Map<String, String> values = new LinkedHashMap<>();

  private ProtocolDocExample() {}

  private void put(String name, byte[] v) {
    values.put(name, Hex.toHexString(v));
  }

  private static byte[] h(String label) {
    return Hmac.sha256Digest(("fleetvault example " + label).getBytes(UTF_8));
  }

  private static Scalar scalar(String label) {
    return Scalar.reduce(new BigInteger(1, h(label)));
  }

  private Scalar putScalar(String name, String label) {
    Scalar s = scalar(label);
    put(name, s.encode());
    return s;
  }

  /** Name -> lowercase hex, in document order. */
  static Map<String, String> compute() throws Exception {
    ProtocolDocExample ex = new ProtocolDocExample();
    ex.run();
    return ex.values;
  }

  private void run() throws Exception {
    // ---- inputs ----
    byte[] u = "alice@example.com".getBytes(UTF_8);
    String fleetId = "example-fleet";
    String appId = "example-app";
    Argon2idParameters params = Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY;
    byte[] pin = "1234".getBytes(UTF_8);
    byte[] secret = "correct horse battery staple".getBytes(UTF_8);
    int n = 3;
    int t = 2;
    long version = 1;
    int limit = 10;
    put("user_id", u);
    put("fleet_id", fleetId.getBytes(UTF_8));
    put("app_id", appId.getBytes(UTF_8));
    put("ledger_key", LedgerKeys.of(appId, u).getBytes(UTF_8));
    put("pin_params", params.id().getBytes(UTF_8));
    put("pin", pin);
    put("secret", secret);
    byte[] regSalt = h("registration salt");
    put("registration_salt", regSalt);
    List<Scalar> kCoeffs =
        List.of(putScalar("oprf_key_k", "k"), putScalar("oprf_coefficient_a1", "a1"));
    List<Scalar> dCoeffs =
        List.of(putScalar("data_key_d", "d"), putScalar("data_coefficient_b1", "b1"));
    byte[] secretNonce = Arrays.copyOf(h("secret nonce"), 12);
    put("secret_nonce", secretNonce);
    List<HpkeKeyPair> memberKeys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      byte[] ikm = h("member " + i + " hpke ikm");
      put("member" + i + "_hpke_ikm", ikm);
      HpkeKeyPair kp = HpkeKeyPair.derive(ikm);
      memberKeys.add(kp);
      put("member" + i + "_hpke_public_key", kp.publicKey().encodeUncompressed());
    }

    // ---- registration ----
    byte[] pinSalt = Derive.pinSalt(u, fleetId, params.id(), regSalt);
    put("pin_salt", pinSalt);
    try (SecretBytes pinS = SecretBytes.copyOf(pin);
        SecretBytes stretched = RegistrationMath.stretch(pinS, u, fleetId, params, regSalt);
        SecretBytes stretchedDefault =
            RegistrationMath.stretch(
                pinS, u, fleetId, Argon2idParameters.ARGON2ID_V1_DEFAULT, regSalt);
        SecretBytes y = RegistrationMath.oprfOutput(kCoeffs.get(0), stretched);
        SecretBytes unlockKey = Derive.unlockKey(y);
        SecretBytes maskKey = Derive.maskKey(y)) {
      put("stretched_pin", stretched.copy());
      put(
          "pin_salt_default_params",
          Derive.pinSalt(u, fleetId, Argon2idParameters.ARGON2ID_V1_DEFAULT.id(), regSalt));
      put("stretched_pin_default_params", stretchedDefault.copy());
      put("oprf_output_y", y.copy());
      put("unlock_key", unlockKey.copy());
      put("mask_key", maskKey.copy());
      ThresholdOprfKeys keys = ThresholdOprfKeys.fromCoefficients(kCoeffs, n);
      List<Share> dShares = Shamir.splitWithCoefficients(dCoeffs, n);
      for (int i = 1; i <= n; i++) {
        put("k" + i, keys.shares().get(i - 1).share().encode());
        put("commitment_K" + i, keys.commitments().get(i - 1).encodeCompressed());
        put("data_share_D" + i, dShares.get(i - 1).y().encode());
        put("unlock_tag" + i, Derive.unlockTag(unlockKey, i));
        try (SecretBytes mask = Derive.shareMask(maskKey, i)) {
          put("share_mask" + i, mask.copy());
        }
      }
      put("secret_aad", Derive.secretAad(u, version));
      RegistrationMath.Inputs in =
          new RegistrationMath.Inputs(
              u, fleetId, params, version, limit, n, t, regSalt, kCoeffs, dCoeffs, secretNonce);
      Map<Integer, Register2Payload> payloads;
      try (SecretBytes s = SecretBytes.copyOf(secret)) {
        payloads = RegistrationMath.payloads(pinS, s, in);
      }
      for (int i = 1; i <= n; i++) {
        put("masked_share" + i, payloads.get(i).getMaskedDataShare().toByteArray());
      }
      put("secret_ciphertext", payloads.get(1).getSecretCiphertext().toByteArray());
      put("register2_payload1", payloads.get(1).toByteArray());

      // The envelope to member 1 and what member 1 stores.
      byte[] ikmE = h("register2 member 1 ephemeral ikm");
      put("register2_ephemeral_ikm", ikmE);
      put("register2_context1", Derive.context(Phase.PHASE_REGISTER2, 1, fleetId, appId, u));
      put("register2_info1", Derive.requestInfo(Phase.PHASE_REGISTER2, 1, fleetId, appId, u));
      Envelopes.Sealed sealed =
          Envelopes.seal(
              memberKeys.get(0).publicKey(),
              1,
              Phase.PHASE_REGISTER2,
              fleetId,
              appId,
              u,
              payloads.get(1),
              HpkeKeyPair.derive(ikmE));
      put("register2_enc1", sealed.request().getEnc().toByteArray());
      put("register2_ciphertext1", sealed.request().getCiphertext().toByteArray());
      put("register2_answer_key1", sealed.answerKey().copy());
      put("register2_sealed_request1", sealed.request().toByteArray());
      MemberLogic m1 =
          new MemberLogic(
              1,
              memberKeys.get(0).publicKey().encodeUncompressed(),
              fleetId,
              RegistrationPolicy.production(n).allowingTestPinParams(),
              new SecureRandom());
      MemberRequest mreq =
          dev.fleetvault.protocol.wire.EdgeMessages.toMember(
              ByteString.copyFrom(u), sealed.request());
      byte[] dh =
          Ecdh.sharedSecretX(
              memberKeys.get(0).privateKey(), GroupElement.decodeUncompressed(m1.encForHsm(mreq)));
      put("register2_dh1", dh);
      MemberRecord record1;
      try (OpenedRequest opened = m1.open(Phase.PHASE_REGISTER2, mreq, appId, dh)) {
        Register2Step.Store store =
            (Register2Step.Store) m1.register2(opened, LedgerRow.absent(), null);
        record1 = store.record();
        put("member_record1", store.recordBytes());
        put("member_record1_digest", store.recordDigest());
        put("member_record1_seal_aad", MemberRecords.sealAad(fleetId, appId, u, version, 1));
      }
      sealed.answerKey().wipe();

      // ---- recovery, phase 1 ----
      Scalar blind = putScalar("blind_r", "blind");
      BlindedInput bi = OprfClient.oprf().blind(stretched.copy(), blind);
      byte[] b = bi.blindedElement().encodeCompressed();
      put("blinded_element_B", b);
      Map<Integer, MemberEvaluation> evals = new HashMap<>();
      long generation = 1;
      byte[] nonce = h("recover1 nonce");
      put("recover1_nonce", nonce);
      put("generation", Derive.i2osp(generation, 8));
      put("attempt_id", Derive.attemptId(fleetId, appId, u, version, generation, b, nonce));
      for (int i = 1; i <= 2; i++) {
        Scalar proofNonce = putScalar("proof_nonce" + i, "proof nonce " + i);
        MemberEvaluation e =
            ThresholdOprfMember.evaluate(
                new MemberKeyShare(i, keys.shares().get(i - 1).share()),
                bi.blindedElement(),
                proofNonce);
        evals.put(i, e);
        put("evaluated_Z" + i, e.evaluated().encodeCompressed());
        put("proof" + i, e.proof().encode());
      }
      ThresholdOprfClient client = new ThresholdOprfClient(t, keys.commitments());
      var combined =
          (dev.fleetvault.protocol.threshold.CombineResult.Combined)
              client.combine(bi.blindedElement(), evals.values());
      put("combined_kB", combined.evaluation().encodeCompressed());
      try (SecretBytes y2 = client.finalize(bi, combined.evaluation())) {
        if (!y2.equalsConstantTime(y)) {
          throw new AssertionError("recovered OPRF output differs from the registered one");
        }
      }
      // Member 1's phase-1 envelope and sealed answer.
      Recover1Payload p1 =
          Recover1Payload.newBuilder()
              .setRecordVersion(version)
              .setBlindedElement(ByteString.copyFrom(b))
              .setNonce(ByteString.copyFrom(nonce))
              .setGeneration(generation)
              .build();
      put("recover1_payload1", p1.toByteArray());
      byte[] ikmE1 = h("recover1 member 1 ephemeral ikm");
      put("recover1_ephemeral_ikm", ikmE1);
      Envelopes.Sealed s1 =
          Envelopes.seal(
              memberKeys.get(0).publicKey(),
              1,
              Phase.PHASE_RECOVER1,
              fleetId,
              appId,
              u,
              p1,
              HpkeKeyPair.derive(ikmE1));
      put("recover1_enc1", s1.request().getEnc().toByteArray());
      put("recover1_ciphertext1", s1.request().getCiphertext().toByteArray());
      put("recover1_answer_key1", s1.answerKey().copy());
      Recover1Reply reply1 =
          Recover1Reply.newBuilder()
              .setStatus(ReplyStatus.REPLY_STATUS_OK)
              .setEvaluatedElement(ByteString.copyFrom(evals.get(1).evaluated().encodeCompressed()))
              .setProof(ByteString.copyFrom(evals.get(1).proof().encode()))
              .setGuessesRemaining(limit - 1)
              .build();
      put("recover1_reply1", reply1.toByteArray());
      byte[] answerNonce = Arrays.copyOf(h("recover1 answer nonce 1"), 12);
      put("recover1_answer_nonce1", answerNonce);
      put("recover1_answer_aad1", Derive.answerAad(Phase.PHASE_RECOVER1, 1, fleetId, appId, u));
      SealedAnswer a1 =
          Envelopes.answer(
              s1.answerKey(), Phase.PHASE_RECOVER1, 1, fleetId, appId, u, reply1, answerNonce);
      put("recover1_answer_ciphertext1", a1.getCiphertext().toByteArray());
      s1.answerKey().wipe();

      // ---- phase 2: unmask two shares, rebuild D, decrypt ----
      Map<Integer, Scalar> dFrom = new HashMap<>();
      for (int i = 1; i <= 2; i++) {
        try (SecretBytes mask = Derive.shareMask(maskKey, i)) {
          dFrom.put(
              i,
              Scalar.decode(
                  Derive.xor(payloads.get(i).getMaskedDataShare().toByteArray(), mask.copy())));
        }
      }
      Scalar d = Shamir.combine(List.of(new Share(1, dFrom.get(1)), new Share(2, dFrom.get(2))));
      byte[] c = record1.getSecretCiphertext().toByteArray();
      byte[] opened =
          AesGcm.decrypt(
              SecretBytes.wrap(d.encode()),
              Arrays.copyOf(c, 12),
              Derive.secretAad(u, version),
              Arrays.copyOfRange(c, 12, c.length));
      if (!Arrays.equals(opened, secret)) {
        throw new AssertionError("worked example does not decrypt to the secret");
      }
    }
  }

  /** Prints the example block (to paste into PROTOCOL.md after a deliberate change). */
  public static void main(String[] args) throws Exception {
    for (Map.Entry<String, String> e : compute().entrySet()) {
      System.out.println(e.getKey() + " = " + e.getValue());
    }
  }
}
