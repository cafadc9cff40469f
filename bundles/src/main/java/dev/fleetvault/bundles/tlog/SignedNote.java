package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.FormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note (c2sp.org/signed-note): UTF-8 text ending in a newline, a blank line, then one
 * or more lines {@code "— <key name> <base64(uint32 key ID || signature)>\n"}.
 *
 * <p>Parsing enforces the spec: valid UTF-8, no control characters other than newline, text
 * separated from signatures by the last blank line, key names non-empty without spaces or {@code
 * +}, at most {@link #MAX_SIGNATURES} signatures. Signatures are not verified here; see {@link
 * NoteVerifier}.
 *
 * @param text the signed text, including its final newline
 * @param signatures signature lines in order
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** Most signatures accepted in one note (the spec requires at least 16). */
  public static final int MAX_SIGNATURES = 100;

  /** Largest note accepted, in bytes. */
  public static final int MAX_BYTES = 1 << 16;

  private static final String DASH = "\u2014 ";

  /** Creates a note, validating the text and copying the signatures. */
  public SignedNote {
    checkText(text);
    signatures = List.copyOf(signatures);
  }

  /**
   * One signature line.
   *
   * @param keyName the key name
   * @param keyId the 32-bit key ID
   * @param signature signature bytes (after the key ID)
   */
  public record NoteSignature(String keyName, int keyId, byte[] signature) {
    /** Validates the name and copies the bytes. */
    public NoteSignature {
      checkKeyName(keyName);
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    /** The line as it appears in a note, with its trailing newline. */
    public String line() {
      ByteBuffer b = ByteBuffer.allocate(4 + signature.length);
      b.putInt(keyId).put(signature);
      return DASH + keyName + " " + Base64.getEncoder().encodeToString(b.array()) + "\n";
    }
  }

  /** Parses a signed note. */
  public static SignedNote parse(byte[] utf8) {
    if (utf8.length > MAX_BYTES) {
      throw new FormatException("note larger than " + MAX_BYTES + " bytes");
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new FormatException("note is not valid UTF-8");
    }
    return parse(s);
  }

  /** Parses a signed note. */
  public static SignedNote parse(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new FormatException("note contains a control character");
      }
    }
    int split = s.lastIndexOf("\n\n");
    if (split < 0) {
      throw new FormatException("note has no blank line before its signatures");
    }
    String text = s.substring(0, split + 1);
    String sigs = s.substring(split + 2);
    if (sigs.isEmpty() || !sigs.endsWith("\n")) {
      throw new FormatException("note has no signature lines or does not end in a newline");
    }
    List<NoteSignature> out = new ArrayList<>();
    for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
      if (out.size() >= MAX_SIGNATURES) {
        throw new FormatException("note has more than " + MAX_SIGNATURES + " signatures");
      }
      out.add(parseLine(line));
    }
    return new SignedNote(text, out);
  }

  private static NoteSignature parseLine(String line) {
    if (!line.startsWith(DASH)) {
      throw new FormatException("signature line does not start with an em dash and space");
    }
    String rest = line.substring(DASH.length());
    int sp = rest.indexOf(' ');
    if (sp <= 0 || rest.indexOf(' ', sp + 1) >= 0) {
      throw new FormatException("malformed signature line");
    }
    String name = rest.substring(0, sp);
    byte[] raw;
    try {
      raw = dev.fleetvault.bundles.codec.Codec.b64Decode(rest.substring(sp + 1));
    } catch (IllegalArgumentException e) {
      throw new FormatException("signature is not canonical base64");
    }
    if (raw.length < 5) {
      throw new FormatException("signature too short");
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    int id = b.getInt();
    byte[] sig = new byte[raw.length - 4];
    b.get(sig);
    return new NoteSignature(name, id, sig);
  }

  /** The complete note: text, blank line, signature lines. */
  public String format() {
    StringBuilder sb = new StringBuilder(text).append('\n');
    for (NoteSignature sig : signatures) {
      sb.append(sig.line());
    }
    return sb.toString();
  }

  /** This note with one more signature line appended. */
  public SignedNote withSignature(NoteSignature sig) {
    List<NoteSignature> l = new ArrayList<>(signatures);
    l.add(sig);
    return new SignedNote(text, l);
  }

  static void checkText(String text) {
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new FormatException("note text must be non-empty and end in a newline");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new FormatException("note text contains a control character");
      }
    }
  }

  static void checkKeyName(String name) {
    if (name == null || name.isEmpty()) {
      throw new FormatException("key name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20) {
        throw new FormatException("key name contains a space or '+'");
      }
    }
  }
}
