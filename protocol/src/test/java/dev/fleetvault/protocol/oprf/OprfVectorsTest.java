package dev.fleetvault.protocol.oprf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.testing.Hex;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every RFC 9497 P256-SHA256 vector for modes OPRF (0x00) and VOPRF (0x01), batches included. POPRF
 * (0x02) vectors are counted as skipped by design: Fleetvault does not implement POPRF.
 */
class OprfVectorsTest {

  @Test
  void allP256Sha256Vectors_oprfAndVoprf_match() throws Exception {
    JsonNode all = Vectors.json("rfc9497/allVectors.json");
    VectorReport report = new VectorReport("RFC 9497 P256-SHA256");
    int id = 0;
    for (JsonNode suite : all) {
      if (!"P256-SHA256".equals(suite.get("identifier").asText())) {
        continue;
      }
      int modeId = suite.get("mode").asInt();
      for (JsonNode v : suite.get("vectors")) {
        id++;
        String label =
            VectorReport.label(id, "mode " + modeId + ", batch " + v.get("Batch").asInt());
        if (modeId == 2) {
          report.skipByDesign(label, "POPRF is not implemented");
          continue;
        }
        OprfMode mode = modeId == 0 ? OprfMode.OPRF : OprfMode.VOPRF;
        report.check(label, () -> checkVector(suite, v, mode));
      }
    }
    report.assertAllPassed();
  }

  private static void checkVector(JsonNode suite, JsonNode v, OprfMode mode) throws Exception {
    assertThat(Hex.encode(mode.contextString()))
        .isEqualTo(suite.get("groupDST").asText().substring("HashToGroup-".length() * 2));
    OprfKeyPair key = OprfKeyPair.derive(hex(suite, "seed"), hex(suite, "keyInfo"), mode);
    assertThat(Hex.encode(key.privateKey().encode()))
        .as("skSm")
        .isEqualTo(suite.get("skSm").asText());
    if (suite.has("pkSm")) {
      assertThat(Hex.encode(key.publicKey().encodeCompressed()))
          .as("pkSm")
          .isEqualTo(suite.get("pkSm").asText());
    }
    String[] inputs = v.get("Input").asText().split(",");
    String[] blinds = v.get("Blind").asText().split(",");
    String[] blindedWant = v.get("BlindedElement").asText().split(",");
    String[] evaluatedWant = v.get("EvaluationElement").asText().split(",");
    String[] outputs = v.get("Output").asText().split(",");
    OprfClient client =
        mode == OprfMode.OPRF ? OprfClient.oprf() : OprfClient.voprf(key.publicKey());
    OprfServer server = mode == OprfMode.OPRF ? OprfServer.oprf(key) : OprfServer.voprf(key);
    List<BlindedInput> blinded = new ArrayList<>();
    List<GroupElement> blindedElements = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      BlindedInput b = client.blind(Hex.decode(inputs[i]), Scalar.decode(Hex.decode(blinds[i])));
      assertThat(Hex.encode(b.blindedElement().encodeCompressed()))
          .as("BlindedElement[%d]", i)
          .isEqualTo(blindedWant[i]);
      blinded.add(b);
      blindedElements.add(GroupElement.decodeCompressed(Hex.decode(blindedWant[i])));
    }
    List<GroupElement> evaluated = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      GroupElement e = server.blindEvaluate(blindedElements.get(i));
      assertThat(Hex.encode(e.encodeCompressed()))
          .as("EvaluationElement[%d]", i)
          .isEqualTo(evaluatedWant[i]);
      evaluated.add(GroupElement.decodeCompressed(Hex.decode(evaluatedWant[i])));
    }
    List<SecretBytes> out = new ArrayList<>();
    if (mode == OprfMode.OPRF) {
      for (int i = 0; i < inputs.length; i++) {
        out.add(client.finalize(blinded.get(i), evaluated.get(i)));
      }
    } else {
      JsonNode p = v.get("Proof");
      BatchEvaluation be =
          server.blindEvaluateBatch(
              blindedElements, Scalar.decode(Hex.decode(p.get("r").asText())));
      assertThat(Hex.encode(be.proof().encode())).as("Proof").isEqualTo(p.get("proof").asText());
      DleqProof proof = DleqProof.decode(Hex.decode(p.get("proof").asText()));
      out.addAll(client.finalizeVerified(blinded, evaluated, proof));
    }
    for (int i = 0; i < inputs.length; i++) {
      assertThat(Hex.encode(out.get(i).copy())).as("Output[%d]", i).isEqualTo(outputs[i]);
      assertThat(Hex.encode(server.evaluate(Hex.decode(inputs[i])).copy()))
          .as("Evaluate[%d]", i)
          .isEqualTo(outputs[i]);
    }
  }

  private static byte[] hex(JsonNode n, String field) {
    return Hex.decode(n.get(field).asText());
  }
}
