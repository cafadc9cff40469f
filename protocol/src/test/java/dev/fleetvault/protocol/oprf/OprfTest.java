package dev.fleetvault.protocol.oprf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.P256;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class OprfTest {
  private static final byte[] PIN = "stretched pin".getBytes(StandardCharsets.US_ASCII);
  private final SecureRandom rnd = new SecureRandom();

  @Test
  void blindEvaluateFinalize_anyBlind_equalsDirectEvaluate() {
    OprfKeyPair k = OprfKeyPair.generate(rnd);
    OprfClient c = OprfClient.oprf();
    SecretBytes direct = OprfServer.oprf(k).evaluate(PIN);
    for (int i = 0; i < 3; i++) {
      BlindedInput b = c.blind(PIN, rnd);
      SecretBytes out = c.finalize(b, OprfServer.oprf(k).blindEvaluate(b.blindedElement()));
      assertThat(out.equalsConstantTime(direct)).isTrue();
    }
  }

  @Test
  void finalizeVerified_wrongServerKey_throwsProofVerification() {
    OprfKeyPair k = OprfKeyPair.generate(rnd);
    OprfKeyPair other = OprfKeyPair.generate(rnd);
    OprfClient c = OprfClient.voprf(other.publicKey());
    BlindedInput b = c.blind(PIN, rnd);
    BatchEvaluation e = OprfServer.voprf(k).blindEvaluateBatch(List.of(b.blindedElement()), rnd);
    assertThatThrownBy(() -> c.finalizeVerified(List.of(b), e.evaluated(), e.proof()))
        .isInstanceOf(ProofVerificationException.class);
  }

  @Test
  void finalizeVerified_swappedEvaluationOrTamperedProof_throws() {
    OprfKeyPair k = OprfKeyPair.generate(rnd);
    OprfClient c = OprfClient.voprf(k.publicKey());
    BlindedInput b1 = c.blind(PIN, rnd);
    BlindedInput b2 = c.blind("other".getBytes(StandardCharsets.US_ASCII), rnd);
    OprfServer s = OprfServer.voprf(k);
    BatchEvaluation e =
        s.blindEvaluateBatch(List.of(b1.blindedElement(), b2.blindedElement()), rnd);
    List<GroupElement> swapped = List.of(e.evaluated().get(1), e.evaluated().get(0));
    assertThatThrownBy(() -> c.finalizeVerified(List.of(b1, b2), swapped, e.proof()))
        .isInstanceOf(ProofVerificationException.class);
    DleqProof bad = new DleqProof(e.proof().c(), e.proof().s().add(Scalar.ONE));
    assertThatThrownBy(() -> c.finalizeVerified(List.of(b1, b2), e.evaluated(), bad))
        .isInstanceOf(ProofVerificationException.class);
    GroupElement wrongZ = e.evaluated().get(0).add(GroupElement.generator());
    assertThatThrownBy(
            () ->
                c.finalizeVerified(
                    List.of(b1, b2), List.of(wrongZ, e.evaluated().get(1)), e.proof()))
        .isInstanceOf(ProofVerificationException.class);
  }

  @Test
  void dleqVerify_mismatchedOrEmptyLists_falseNotException() {
    GroupElement g = GroupElement.generator();
    DleqProof p = new DleqProof(Scalar.ONE, Scalar.ONE);
    assertThat(Dleq.verify(OprfMode.VOPRF, g, g, List.of(), List.of(), p)).isFalse();
    assertThat(Dleq.verify(OprfMode.VOPRF, g, g, List.of(g), List.of(), p)).isFalse();
    assertThat(
            Dleq.verify(
                OprfMode.VOPRF,
                g,
                g,
                List.of(g),
                List.of(g),
                new DleqProof(Scalar.ZERO, Scalar.ZERO)))
        .isFalse();
  }

  @Test
  void dleqProofDecode_wrongLengthOrScalarAboveOrder_rejected() {
    assertThatThrownBy(() -> DleqProof.decode(new byte[63]))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> DleqProof.decode(new byte[65]))
        .isInstanceOf(InvalidEncodingException.class);
    byte[] enc = new byte[64];
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, P256.ORDER), 0, enc, 32, 32);
    assertThatThrownBy(() -> DleqProof.decode(enc)).isInstanceOf(InvalidEncodingException.class);
    DleqProof ok = new DleqProof(Scalar.ofLong(3), Scalar.ofLong(4));
    assertThat(DleqProof.decode(ok.encode())).isEqualTo(ok);
  }

  @Test
  void voprfClient_plainFinalize_refused() {
    OprfKeyPair k = OprfKeyPair.generate(rnd);
    OprfClient c = OprfClient.voprf(k.publicKey());
    BlindedInput b = c.blind(PIN, rnd);
    assertThatThrownBy(() -> c.finalize(b, b.blindedElement()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void blindedInput_close_wipesInputAndToStringRedacted() {
    BlindedInput b = OprfClient.oprf().blind(PIN, rnd);
    assertThat(b.toString()).doesNotContain("stretched");
    b.close();
    assertThat(b.input().isWiped()).isTrue();
    assertThat(Arrays.equals(PIN, "stretched pin".getBytes(StandardCharsets.US_ASCII))).isTrue();
  }

  @Test
  void modesDiffer_sameKeyAndInput_differentOutputs() {
    OprfKeyPair k = OprfKeyPair.generate(rnd);
    assertThat(
            OprfServer.oprf(k).evaluate(PIN).equalsConstantTime(OprfServer.voprf(k).evaluate(PIN)))
        .isFalse();
  }
}
