package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberRecord;
import dev.fleetvault.protocol.wire.WireCodec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Helpers for the member record the gateway keeps HSM-sealed (PROTOCOL.md "Member record").
 *
 * <h2>Guarantees</h2>
 *
 * {@link #decode} refuses anything that is not a valid format-1 record ({@code
 * WireFormatException}). {@link #sealAad} binds a sealed blob to (fleet, app, user, version,
 * member) so the store cannot swap blobs between fleets, apps, users, versions or members; {@link
 * #digest} is what the ledger keeps.
 */
public final class MemberRecords {
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
   * The associated data for {@code HsmDriver.seal/unseal} of a record (PROTOCOL.md §6.6): {@code
   * "fleetvault/v1 record" || lp(fleet id) || lp(app id) || lp(u) || I2OSP(version, 8) ||
   * I2OSP(member, 2)}. Prefer {@link OpenedRequest#recordAad(long)} in the member.
   */
  public static byte[] sealAad(
      String fleetId, String appId, byte[] userId, long version, int member) {
    return dev.fleetvault.protocol.flow.parts.Derive.recordAad(
        fleetId, LedgerKeys.requireAppId(appId), userId, version, member);
  }

  /** Parses and checks an unsealed record. */
  public static MemberRecord decode(byte[] recordBytes) {
    return WireCodec.decode(MemberRecord.class, recordBytes);
  }
}
