package dev.fleetvault.gateway.member;

import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/**
 * One member's three HSM keys, generated inside its HSM on first start and found by label
 * afterwards: {@code fleetvault.<member>.hpke} (P-256, ECDH for opening client envelopes), {@code
 * fleetvault.<member>.sign} (P-256, ECDSA for the member's ledger commands) and {@code
 * fleetvault.<member>.seal} (AES-256-GCM for the member's stored records). No private or secret key
 * material ever leaves the driver.
 *
 * @param hpke the HPKE/ECDH key
 * @param sign the command-signing key
 * @param seal the record-sealing key
 * @param hpkePublic the HPKE public key, 65-byte uncompressed point
 * @param signPublic the signing public key
 */
public record MemberKeys(
    KeyHandle hpke, KeyHandle sign, KeyHandle seal, byte[] hpkePublic, PublicKey signPublic) {

  /** Finds or generates the keys of {@code memberId} (blocking: call on a worker thread). */
  public static MemberKeys ensure(HsmDriver driver, String memberId) throws HsmException {
    KeyHandle hpke = findOrCreate(driver, "fleetvault." + memberId + ".hpke", KeySpec.EC_P256);
    KeyHandle sign = findOrCreate(driver, "fleetvault." + memberId + ".sign", KeySpec.EC_P256);
    KeyHandle seal = findOrCreate(driver, "fleetvault." + memberId + ".seal", KeySpec.AES_256);
    byte[] point = P256Points.encodeUncompressed((ECPublicKey) driver.publicKey(hpke));
    return new MemberKeys(hpke, sign, seal, point, driver.publicKey(sign));
  }

  private static KeyHandle findOrCreate(HsmDriver driver, String label, KeySpec spec)
      throws HsmException {
    var found = driver.findKey(label);
    return found.isPresent() ? found.get() : driver.generateKey(spec, label);
  }

  /** The HPKE public key (copy). */
  @Override
  public byte[] hpkePublic() {
    return hpkePublic.clone();
  }

  @Override
  public String toString() {
    return "MemberKeys[" + hpke.label() + ", " + sign.label() + ", " + seal.label() + "]";
  }
}
