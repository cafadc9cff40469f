package dev.fleetvault.bundles.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.bundles.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target: the audit log's text formats, read from an untrusted log or edge: {@link
 * SignedNote#parse}, {@link Checkpoint#fromNoteText}, {@link NoteKey#parseVkey}, {@link
 * TilePath#parse} and {@link Tiles#parseEntryBundle}.
 *
 * <p>Input: byte 0 picks the parser (modulo 5), the rest is the input. Property: each returns a
 * value or throws {@link FormatException}; signed notes, checkpoints, vkeys and tile paths format
 * back to exactly the input they were parsed from (one encoding per value).
 */
class TlogFormatsFuzzTest {
  @FuzzTest
  void parse_noteCheckpointVkeyTileOrEntries(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] in = Arrays.copyOfRange(data, 1, data.length);
    String text = new String(in, StandardCharsets.UTF_8);
    try {
      switch (Byte.toUnsignedInt(data[0]) % 5) {
        case 0 -> {
          SignedNote n = SignedNote.parse(in);
          assertThat(n.format().getBytes(StandardCharsets.UTF_8)).isEqualTo(in);
        }
        case 1 -> {
          Checkpoint c = Checkpoint.fromNoteText(text);
          assertThat(Checkpoint.fromNoteText(c.toNoteText())).isEqualTo(c);
        }
        case 2 -> {
          NoteKey k = NoteKey.parseVkey(text);
          assertThat(NoteKey.parseVkey(k.vkey())).isEqualTo(k);
        }
        case 3 -> {
          TilePath p = TilePath.parse(text);
          assertThat(TilePath.parse(p.format())).isEqualTo(p);
        }
        default -> assertThat(Tiles.parseEntryBundle(in)).hasSizeLessThanOrEqualTo(256);
      }
    } catch (FormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
