package dev.fleetvault.driver.spi;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The checks every driver makes before it touches its device, in one place: capability refusals,
 * the closed state, key labels and null inputs. A driver extends this class and calls the {@code
 * require*} methods first in each operation.
 *
 * <p>Guarantees: {@link #capabilities()} is the immutable set given at construction; {@link
 * #require(Capability)} throws {@link HsmFatalException} of kind {@link
 * HsmException.Kind#UNSUPPORTED} (not retryable) whose message names the capability; {@link
 * #requireOpen()} throws kind {@link HsmException.Kind#CLOSED} once {@link #markClosed()} has been
 * called; {@link #markClosed()} returns {@code true} exactly once, so {@code close()} is
 * idempotent. None of the messages carries key material or credentials.
 */
public abstract class AbstractHsmDriver implements HsmDriver {

  private final String driverId;
  private final Set<Capability> capabilities;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A driver with id {@code driverId} that reports {@code capabilities} (copied). */
  protected AbstractHsmDriver(String driverId, Set<Capability> capabilities) {
    this.driverId = driverId;
    this.capabilities = Set.copyOf(capabilities);
  }

  @Override
  public final Set<Capability> capabilities() {
    return capabilities;
  }

  /** The driver id given at construction. */
  protected final String driverId() {
    return driverId;
  }

  /**
   * What an UNSUPPORTED refusal says lacks {@code c}; must name {@code c}. Drivers may say which
   * device lacks it.
   */
  protected String lacks(Capability c) {
    return driverId + " driver lacks capability " + c;
  }

  /** Throws UNSUPPORTED unless the driver has {@code c}. */
  protected final void require(Capability c) throws HsmFatalException {
    if (!capabilities.contains(c)) {
      throw new HsmFatalException(HsmException.Kind.UNSUPPORTED, lacks(c));
    }
  }

  /**
   * Throws UNSUPPORTED unless the driver has the signature capability for keys of {@code spec}; AES
   * keys pass (the driver refuses them as WRONG_KEY_TYPE when it resolves the handle).
   */
  protected final void requireSign(KeySpec spec) throws HsmFatalException {
    switch (spec) {
      case EC_P256 -> require(Capability.SIGN_ECDSA_P256);
      case ED25519 -> require(Capability.SIGN_ED25519);
      case RSA_2048 -> require(Capability.SIGN_RSA_PSS);
      case AES_256 -> {} // WRONG_KEY_TYPE, not UNSUPPORTED: the driver says so when it looks at the
        // key
    }
  }

  /** Throws CLOSED once the driver is closed. */
  protected final void requireOpen() throws HsmFatalException {
    if (closed.get()) {
      throw new HsmFatalException(HsmException.Kind.CLOSED, driverId + " driver is closed");
    }
  }

  /** Whether {@link #markClosed()} has been called. */
  protected final boolean isClosed() {
    return closed.get();
  }

  /**
   * Marks the driver closed; {@code true} only for the first call (the one that must release
   * resources).
   */
  protected final boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** The most bytes {@link HsmDriver#random(int)} returns at once. */
  public static final int MAX_RANDOM = 1024;

  /**
   * Throws INVALID_INPUT unless {@code n} is 0..{@value #MAX_RANDOM} (call after {@code
   * require(RANDOM)}).
   */
  protected static void requireRandomLength(int n) throws HsmFatalException {
    if (n < 0 || n > MAX_RANDOM) {
      throw new HsmFatalException(
          HsmException.Kind.INVALID_INPUT, "random length must be 0.." + MAX_RANDOM + ", got " + n);
    }
  }

  /** Returns {@code label} if it meets {@link KeyLabels}, else throws INVALID_INPUT. */
  protected static String requireLabel(String label) throws HsmFatalException {
    return KeyLabels.validate(label);
  }

  /** Returns {@code value}, or throws INVALID_INPUT naming {@code what} when it is null. */
  protected static <T> T requireInput(T value, String what) throws HsmFatalException {
    if (value == null) {
      throw new HsmFatalException(HsmException.Kind.INVALID_INPUT, what + " must not be null");
    }
    return value;
  }

  /**
   * The checks of {@link InsecureTestKeyImport#importKeyPairInsecureTestOnly}: the capability
   * {@link Capability#INSECURE_TEST_KEY_IMPORT}, a valid label and an EC P-256 key pair.
   */
  protected final void requireTestImport(KeySpec spec, String label, KeyPair pair)
      throws HsmFatalException {
    if (!capabilities.contains(Capability.INSECURE_TEST_KEY_IMPORT)) {
      throw new HsmFatalException(
          HsmException.Kind.UNSUPPORTED,
          "test key import is disabled (insecure_test_key_import: false; capability INSECURE_TEST_KEY_IMPORT absent)");
    }
    requireLabel(label);
    if (spec != KeySpec.EC_P256
        || pair == null
        || !(pair.getPrivate() instanceof ECPrivateKey)
        || !(pair.getPublic() instanceof ECPublicKey)) {
      throw new HsmFatalException(
          HsmException.Kind.UNSUPPORTED, "test key import supports EC_P256 key pairs only");
    }
  }
}
