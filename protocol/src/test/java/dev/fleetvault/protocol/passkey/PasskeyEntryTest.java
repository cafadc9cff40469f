package dev.fleetvault.protocol.passkey;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasskeyEntryTest {
  @Test
  void of_appUser_suffixedAndAuthorizedOnlyByItsOwnSubject() {
    byte[] u = "josé".getBytes(UTF_8);
    byte[] pk = PasskeyEntry.of(u);
    assertThat(pk).hasSize(u.length + 8);
    assertThat(pk[u.length]).isEqualTo((byte) 0xFF);
    assertThat(PasskeyEntry.isEntry(pk)).isTrue();
    assertThat(PasskeyEntry.isEntry(u)).isFalse();
    assertThat(PasskeyEntry.appUserOf(pk)).isEqualTo(u);
    assertThat(PasskeyEntry.authorizes("josé", pk)).isTrue();
    assertThat(PasskeyEntry.authorizes("josé", u)).isTrue();
    assertThat(PasskeyEntry.authorizes("jos", pk)).isFalse();
    assertThat(PasskeyEntry.authorizes("josé\u00ffpasskey", pk))
        .isFalse(); // U+00FF is c3 bf in UTF-8, not ff
    assertThat(PasskeyEntry.authorizes("bob", PasskeyEntry.of("bob2".getBytes(UTF_8)))).isFalse();
  }

  @Test
  void of_tooLongOrAlreadyEntry_refused() {
    assertThatThrownBy(() -> PasskeyEntry.of(new byte[121]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PasskeyEntry.of(new byte[120])).hasSize(128);
    assertThatThrownBy(() -> PasskeyEntry.of(PasskeyEntry.of("a".getBytes(UTF_8))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PasskeyEntry.of(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
