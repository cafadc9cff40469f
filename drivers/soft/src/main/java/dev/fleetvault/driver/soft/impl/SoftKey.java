package dev.fleetvault.driver.soft.impl;

import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * One key held by the soft driver: the secret or private part (never leaves the driver), the public
 * part for key pairs (null for AES), and whether it is persisted (imported test keys are not).
 */
record SoftKey(
    KeyHandle handle,
    Key secret,
    PublicKey publicKey,
    boolean persistent,
    ECPrivateKeyParameters ecParams) {

  SoftKey(KeyHandle handle, Key secret, PublicKey publicKey, boolean persistent) {
    this(
        handle,
        secret,
        publicKey,
        persistent,
        secret instanceof ECPrivateKey ec ? SoftEc.privateParams(ec) : null);
  }

  KeySpec spec() {
    return handle.spec();
  }

  @Override
  public String toString() {
    return "SoftKey[" + handle + "]";
  }
}
