package dev.fleetvault.bundles.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.FormatException;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * Signed notes, checkpoints, cosignatures and tile paths against the C2SP specs and the Go
 * reference implementation's published vectors (golang.org/x/mod/sumdb/note: the PeterNeumann key;
 * transparency-dev/formats: a type-0x04 cosignature vkey).
 */
class TlogFormatsTest {
  static final String PETER_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String PETER_SKEY_B64 =
      "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"; // type 0x01 || 32-byte seed
  static final String PETER_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String PETER_NOTE =
      PETER_TEXT
          + "\n\u2014 PeterNeumann "
          + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  static byte[] sign(Ed25519PrivateKeyParameters k, byte[] m) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, k);
    s.update(m, 0, m.length);
    return s.generateSignature();
  }

  @Test
  void parseVkey_goReferenceKey_keyIdMatches() {
    NoteKey k = NoteKey.parseVkey(PETER_VKEY);
    assertThat(k.name()).isEqualTo("PeterNeumann");
    assertThat(String.format("%08x", k.keyId())).isEqualTo("c74f20a3");
    assertThat(k.vkey()).isEqualTo(PETER_VKEY);
  }

  @Test
  void parseVkey_cosignatureKeyFromTransparencyDevFormats_keyIdMatches() {
    String v = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
    NoteKey k = NoteKey.parseVkey(v);
    assertThat(k.type()).isEqualTo(NoteKey.TYPE_COSIGNATURE_V1);
    assertThat(k.vkey()).isEqualTo(v);
  }

  @Test
  void parseVkey_base64ContainingPlus_parses() {
    String v =
        "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"; // transparency-dev/formats
    // test key
    assertThat(NoteKey.parseVkey(v).vkey()).isEqualTo(v);
  }

  @Test
  void parseVkey_wrongKeyId_rejected() {
    assertThatThrownBy(
            () ->
                NoteKey.parseVkey(
                    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void verify_goReferenceNote_verifiesAndSigningReproducesItByteForByte() {
    NoteKey k = NoteKey.parseVkey(PETER_VKEY);
    SignedNote n = SignedNote.parse(PETER_NOTE);
    assertThat(n.text()).isEqualTo(PETER_TEXT);
    assertThat(NoteVerifier.verify(n, k)).isEqualTo(NoteVerifier.Outcome.VERIFIED);
    assertThat(n.format()).isEqualTo(PETER_NOTE);

    byte[] seed = java.util.Arrays.copyOfRange(Base64.getDecoder().decode(PETER_SKEY_B64), 1, 33);
    Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(seed, 0);
    SignedNote mine =
        new SignedNote(PETER_TEXT, List.of(NoteVerifier.sign(PETER_TEXT, k, m -> sign(sk, m))));
    assertThat(mine.format()).isEqualTo(PETER_NOTE);

    SignedNote tampered = SignedNote.parse(PETER_NOTE.replace("cryptography", "cryptographY"));
    assertThat(NoteVerifier.verify(tampered, k)).isEqualTo(NoteVerifier.Outcome.BAD_SIGNATURE);
  }

  @Test
  void verify_unknownKeyLinesAreIgnored() {
    NoteKey k = NoteKey.parseVkey(PETER_VKEY);
    String withOther =
        PETER_NOTE
            + "\u2014 someone.else/key "
            + Base64.getEncoder().encodeToString(new byte[68])
            + "\n";
    assertThat(NoteVerifier.verify(SignedNote.parse(withOther), k))
        .isEqualTo(NoteVerifier.Outcome.VERIFIED);
    NoteKey other = new NoteKey("PeterNeumann", NoteKey.TYPE_ED25519, new byte[32]);
    assertThat(NoteVerifier.verify(SignedNote.parse(PETER_NOTE), other))
        .isEqualTo(NoteVerifier.Outcome.NO_SIGNATURE_BY_KEY);
  }

  @Test
  void parse_malformedNotes_rejected() {
    assertThatThrownBy(() -> SignedNote.parse("text\n\u2014 a b\n"))
        .isInstanceOf(FormatException.class); // no blank line
    assertThatThrownBy(() -> SignedNote.parse("text\n\n- a AAAAAAA=\n"))
        .isInstanceOf(FormatException.class); // hyphen
    assertThatThrownBy(() -> SignedNote.parse("te\txt\n\n\u2014 a AAAAAAA=\n"))
        .isInstanceOf(FormatException.class);
    assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 a+b AAAAAAA=\n"))
        .isInstanceOf(FormatException.class);
    assertThatThrownBy(() -> SignedNote.parse("text\n\n\u2014 a AAAAAAA="))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void checkpoint_specExample_parsesAndFormatsIdentically() {
    String text =
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    Checkpoint c = Checkpoint.fromNoteText(text);
    assertThat(c.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(c.treeSize()).isEqualTo(20852163);
    assertThat(c.toNoteText()).isEqualTo(text);
    SignedNote n =
        SignedNote.parse(
            text
                + "\n\u2014 example.com/behind-the-sofa "
                + "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n");
    assertThat(n.signatures()).hasSize(1);
    assertThat(n.signatures().get(0).signature()).hasSize(64);
  }

  @Test
  void checkpoint_nonCanonicalSize_rejected() {
    String root = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> Checkpoint.fromNoteText("o\n012\n" + root + "\n"))
        .isInstanceOf(FormatException.class);
    assertThatThrownBy(() -> Checkpoint.fromNoteText("o\n-1\n" + root + "\n"))
        .isInstanceOf(FormatException.class);
    assertThatThrownBy(() -> Checkpoint.fromNoteText("o\n1\n" + root + "\n\n"))
        .isInstanceOf(FormatException.class);
    assertThat(Checkpoint.fromNoteText("o\n0\n" + root + "\n").treeSize()).isZero();
  }

  @Test
  void cosignature_signAndVerify_roundTripsAndBindsText() {
    Ed25519PrivateKeyParameters wk =
        new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
    NoteKey w =
        new NoteKey(
            "witness.example/w1", NoteKey.TYPE_COSIGNATURE_V1, wk.generatePublicKey().getEncoded());
    String text =
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    assertThat(
            new String(
                Cosignature.message(text, 1679315147), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("cosignature/v1\ntime 1679315147\n" + text);
    SignedNote.NoteSignature line = Cosignature.sign(text, 1679315147, w, m -> sign(wk, m));
    SignedNote n = new SignedNote(text, List.of(line));
    assertThat(Cosignature.verify(n, w)).isEqualTo(1679315147L);
    SignedNote other = new SignedNote(text.replace("20852163", "20852164"), List.of(line));
    assertThat(Cosignature.verify(other, w)).isEqualTo(-2);
  }

  @Test
  void tilePath_specExamples_encodeAndParse() {
    assertThat(TilePath.encodeIndex(1234067)).isEqualTo("x001/x234/067");
    assertThat(TilePath.encodeIndex(0)).isEqualTo("000");
    assertThat(new TilePath(0, 1234067, 256).format()).isEqualTo("tile/0/x001/x234/067");
    assertThat(new TilePath(TilePath.ENTRIES, 5, 17).format()).isEqualTo("tile/entries/005.p/17");
    assertThat(TilePath.parse("/tile/2/x001/x234/067.p/8")).isEqualTo(new TilePath(2, 1234067, 8));
    assertThat(TilePath.parse("tile/entries/000"))
        .isEqualTo(new TilePath(TilePath.ENTRIES, 0, 256));
    for (String bad :
        new String[] {
          "tile/0/1",
          "tile/0/001.p/256",
          "tile/0/001.p/0",
          "tile/01/000",
          "tile/0/x000/000",
          "tile/0/001/002",
          "tile/64/000",
          "tile/0/000.p/07"
        }) {
      assertThatThrownBy(() -> TilePath.parse(bad)).as(bad).isInstanceOf(FormatException.class);
    }
  }

  @Test
  void tilePath_hugeIndex_rejectedOrAbsentWithoutOverflow() {
    TilePath big = TilePath.parse("tile/0/x009/x223/x372/x036/x854/x775/807"); // Long.MAX_VALUE
    assertThat(big.index()).isEqualTo(Long.MAX_VALUE);
    assertThat(Tiles.exists(big, Long.MAX_VALUE)).isFalse();
    assertThat(Tiles.exists(new TilePath(TilePath.ENTRIES, Long.MAX_VALUE / 200, 1), 1000))
        .isFalse();
    assertThatThrownBy(() -> TilePath.parse("tile/0/x009/x223/x372/x036/x854/x775/808"))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void tiles_treeOf70000_hasTheSpecsTileCounts() {
    // spec: size 70,000 → 273 full level-0 tiles, one partial of width 112, one full level-1 tile,
    // one partial level-1 tile of width 17, one partial level-2 tile of width 1
    long s = 70000;
    assertThat(Tiles.exists(new TilePath(0, 272, 256), s)).isTrue();
    assertThat(Tiles.exists(new TilePath(0, 273, 256), s)).isFalse();
    assertThat(Tiles.exists(new TilePath(0, 273, 112), s)).isTrue();
    assertThat(Tiles.exists(new TilePath(0, 273, 113), s)).isFalse();
    assertThat(Tiles.exists(new TilePath(1, 0, 256), s)).isTrue();
    assertThat(Tiles.exists(new TilePath(1, 1, 17), s)).isTrue();
    assertThat(Tiles.exists(new TilePath(1, 1, 18), s)).isFalse();
    assertThat(Tiles.exists(new TilePath(2, 0, 1), s)).isTrue();
    assertThat(Tiles.exists(new TilePath(2, 0, 2), s)).isFalse();
  }

  @Test
  void tiles_hashTileAndEntryBundle_matchTheTree() {
    MerkleTree t = new MerkleTree();
    java.util.List<byte[]> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 600; i++) {
      byte[] e = ("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      entries.add(e);
      t.append(e);
    }
    byte[] tile = Tiles.hashTile(t, new TilePath(0, 2, 88));
    assertThat(java.util.Arrays.copyOfRange(tile, 0, 32))
        .isEqualTo(MerkleHash.leaf(entries.get(512)));
    byte[] l1 = Tiles.hashTile(t, new TilePath(1, 0, 2));
    assertThat(java.util.Arrays.copyOfRange(l1, 32, 64))
        .isEqualTo(
            MerkleTree.ofLeafHashes(
                    entries.subList(256, 512).stream().map(MerkleHash::leaf).toList())
                .root());
    byte[] bundle = Tiles.entryBundle(entries.subList(512, 600));
    assertThat(Tiles.parseEntryBundle(bundle)).hasSize(88);
    assertThat(Tiles.parseEntryBundle(bundle).get(87)).isEqualTo(entries.get(599));
    assertThatThrownBy(
            () -> Tiles.parseEntryBundle(java.util.Arrays.copyOf(bundle, bundle.length - 1)))
        .isInstanceOf(FormatException.class);
  }
}
