package dev.fleetvault.protocol.passkey;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.flow.parts.RegistrationMath;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Recomputes the values of PROTOCOL.md 21.8 with the reference code and finds them in the document.
 */
class PasskeyDocExampleTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] example(String label) throws Exception {
    return MessageDigest.getInstance("SHA-256")
        .digest(("fleetvault example " + label).getBytes(UTF_8));
  }

  @Test
  void workedExample_section21_8_matchesTheCode() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
    String section = doc.substring(doc.indexOf("### 21.8 Worked example"), doc.indexOf("### 21.9"));
    byte[] u = "alice@example.com".getBytes(UTF_8);
    byte[] upk = PasskeyEntry.of(u);
    byte[] regSalt =
        HEX.parseHex("30adcdd6dc397253f66de0804165e95f92592b2a5c5e7ec8ca66918010e9deb7");
    byte[] prfSalt = PasskeyDerivations.prfSalt("example-fleet", "example-app", u);
    assertThat(section).contains(HEX.formatHex(prfSalt));
    assertThat(section).contains(Base64.getUrlEncoder().withoutPadding().encodeToString(prfSalt));
    byte[] prf = example("prf output");
    assertThat(section).contains(HEX.formatHex(prf));
    byte[] pinSalt =
        Derive.pinSalt(upk, "example-fleet", PasskeyDerivations.PIN_PARAMS_ID, regSalt);
    assertThat(section).contains(HEX.formatHex(pinSalt));
    try (SecretBytes p =
        RegistrationMath.stretch(
            SecretBytes.copyOf(prf),
            upk,
            "example-fleet",
            PasskeyDerivations.PIN_PARAMS_ID,
            regSalt)) {
      assertThat(section).contains(HEX.formatHex(p.copy()));
    }
    byte[] attemptId = example("passkey attempt id");
    assertThat(section).contains(HEX.formatHex(attemptId));
    byte[] challenge = PasskeyDerivations.challenge(upk, 1, attemptId);
    assertThat(section).contains(HEX.formatHex(challenge));
    assertThat(section).contains(Base64.getUrlEncoder().withoutPadding().encodeToString(challenge));
  }
}
