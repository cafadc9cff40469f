package dev.fleetvault.gateway.member.impl;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.security.PublicKey;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's view of an HSM without EC P-256 when the node is configured with {@code
 * hsm.member_keys: wrapped}: every call goes to the real driver, except the member's own EC P-256
 * keys (labels {@code fleetvault.<member>.*}, e.g. {@code .hpke}, {@code .hpke.2}, {@code .sign}),
 * which a {@link WrappedKeyStore} generates in software and keeps sealed by the real HSM. So {@code
 * MemberKeys}, the member service and HPKE rotation run unchanged.
 *
 * <p>Guarantees: sealing, unsealing, the sealing key and random bytes stay in the real HSM; an EC
 * key with any other label is refused (UNSUPPORTED), so nothing else silently lands in software;
 * {@link #capabilities()} adds GENERATE_EC_P256, ECDH_P256 and SIGN_ECDSA_P256, and {@link
 * #describe()} says {@code member_keys=wrapped} in its details. Thread-safe like the driver it
 * wraps.
 */
public final class WrappedKeysDriver implements HsmDriver {
  private static final Set<Capability> WRAPPED_EC =
      EnumSet.of(Capability.GENERATE_EC_P256, Capability.ECDH_P256, Capability.SIGN_ECDSA_P256);
  private final HsmDriver hsm;
  private final WrappedKeyStore keys;

  /**
   * @param hsm the real driver (an HSM without EC P-256); closed by {@link #close()}
   * @param keys where the member's EC keys live
   */
  public WrappedKeysDriver(HsmDriver hsm, WrappedKeyStore keys) {
    this.hsm = hsm;
    this.keys = keys;
  }

  @Override
  public DeviceInfo describe() throws HsmException {
    DeviceInfo d = hsm.describe();
    Map<String, String> details = new LinkedHashMap<>(d.details());
    details.put(
        "member_keys",
        "wrapped (EC P-256 member keys in node memory, sealed at rest " + "by this HSM)");
    return new DeviceInfo(
        d.driverId(),
        d.vendor(),
        d.model(),
        d.serial(),
        d.firmwareVersion(),
        d.libraryVersion(),
        details);
  }

  @Override
  public Set<Capability> capabilities() {
    Set<Capability> c = EnumSet.noneOf(Capability.class);
    c.addAll(hsm.capabilities());
    c.addAll(WRAPPED_EC);
    return Collections.unmodifiableSet(c);
  }

  @Override
  public KeyHandle generateKey(KeySpec spec, String label) throws HsmException {
    if (spec != KeySpec.EC_P256) {
      return hsm.generateKey(spec, label);
    }
    if (!keys.covers(label)) {
      throw new HsmFatalException(
          HsmException.Kind.UNSUPPORTED,
          "this HSM has no EC P-256; "
              + "member_keys: wrapped covers only the member's own keys, not "
              + label);
    }
    return keys.generate(label);
  }

  @Override
  public Optional<KeyHandle> findKey(String label) throws HsmException {
    if (keys.covers(label)) {
      Optional<KeyHandle> k = keys.find(label);
      if (k.isPresent()) {
        return k;
      }
    }
    return hsm.findKey(label);
  }

  @Override
  public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) throws HsmException {
    return hsm.seal(key, plaintext, aad);
  }

  @Override
  public byte[] unseal(KeyHandle key, byte[] sealed, byte[] aad) throws HsmException {
    return hsm.unseal(key, sealed, aad);
  }

  @Override
  public byte[] sign(KeyHandle key, byte[] message) throws HsmException {
    return keys.owns(key) ? keys.sign(key, message) : hsm.sign(key, message);
  }

  @Override
  public byte[] ecdh(KeyHandle key, byte[] peerPoint) throws HsmException {
    return keys.owns(key) ? keys.ecdh(key, peerPoint) : hsm.ecdh(key, peerPoint);
  }

  @Override
  public PublicKey publicKey(KeyHandle key) throws HsmException {
    return keys.owns(key) ? keys.publicKey(key) : hsm.publicKey(key);
  }

  @Override
  public byte[] random(int n) throws HsmException {
    return hsm.random(n);
  }

  @Override
  public int maxConcurrentSessions() {
    return hsm.maxConcurrentSessions();
  }

  @Override
  public void close() {
    keys.clear();
    hsm.close();
  }

  @Override
  public String toString() {
    return "WrappedKeysDriver[" + keys + " over " + hsm + "]";
  }
}
