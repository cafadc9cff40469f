package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.WireCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Helpers for the member record the gateway keeps HSM-sealed (PROTOCOL.md "Member record").
 *
 * <h2>Guarantees</h2>
 * {@link #decode} refuses anything that is not a valid format-1 record ({@code WireFormatException}).
 * {@link #sealAad} binds a sealed blob to (user, version, member) so the store cannot swap
 * blobs between users, versions or members; {@link #digest} is what the ledger keeps.
 */
public final class MemberRecords {
  private static final byte[] AAD_LABEL = "fleetvault/v1 record".getBytes(StandardCharsets.US_ASCII);

  private MemberRecords() {}

  /** SHA-256 of the serialized plaintext record: the digest committed with {@code register}. */
  public static byte[] digest(byte[] recordBytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(recordBytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /**
   * The associated data for {@code HsmDriver.seal/unseal} of a record:
   * {@code "fleetvault/v1 record" || I2OSP(len(u), 2) || u || I2OSP(version, 8) || I2OSP(member, 2)}.
   */
  public static byte[] sealAad(byte[] userId, long version, int member) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AAD_LABEL);
    out.write(userId.length >>> 8);
    out.write(userId.length);
    out.writeBytes(userId);
    for (int i = 7; i >= 0; i--) {
      out.write((int) (version >>> (8 * i)));
    }
    out.write(member >>> 8);
    out.write(member);
    return out.toByteArray();
  }

  /** Parses and checks an unsealed record. */
  public static MemberRecord decode(byte[] recordBytes) {
    return WireCodec.decode(MemberRecord.class, recordBytes);
  }
}
