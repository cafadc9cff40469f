package dev.fleetvault.driver.kmip.impl;

import dev.fleetvault.driver.kmip.client.Attribute;
import dev.fleetvault.driver.kmip.client.BatchResult;
import dev.fleetvault.driver.kmip.client.CryptographicParameters;
import dev.fleetvault.driver.kmip.client.KeyPairIds;
import dev.fleetvault.driver.kmip.client.KmipClient;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.RevocationReasonCode;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.UsageMask;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks that read what the server really does where Query cannot tell: whether it can
 * keep a key non-extractable, and which RSA-PSS salt length its signatures use. Probe objects are
 * named {@code fleetvault-probe-<uuid>} and destroyed afterwards.
 */
final class ServerProbe {
  private static final Logger LOG = LoggerFactory.getLogger(ServerProbe.class);

  /** How sign requests must be made for salt length 32, or why they cannot. */
  enum PssMode {
    SEND_SALT_LENGTH,
    SERVER_DEFAULT,
    UNSUPPORTED
  }

  private ServerProbe() {}

  private static String probeName() {
    return "fleetvault-probe-" + UUID.randomUUID();
  }

  /**
   * Creates a key marked Extractable=false and Sensitive=true and tries to Get it.
   *
   * @return {@code null} when the server refused both the export and nothing else went wrong,
   *     otherwise what the server did wrong
   */
  static String nonExtractableProblem(KmipClient c) throws KmipException {
    String id;
    try {
      id =
          c.create(
              ObjectType.SYMMETRIC_KEY,
              List.of(
                  Attribute.algorithm(CryptographicAlgorithm.AES),
                  Attribute.length(256),
                  Attribute.usageMask(UsageMask.ENCRYPT | UsageMask.DECRYPT),
                  Attribute.name(probeName()),
                  Attribute.flag(Attribute.SENSITIVE, true),
                  Attribute.flag(Attribute.EXTRACTABLE, false)));
    } catch (KmipException e) {
      if (e.kind() == KmipException.Kind.OPERATION_FAILED) {
        return "it refused to create a key with Extractable=false (" + e.getMessage() + ")";
      }
      throw e;
    }
    try {
      c.get(id);
      return "it returned the key material of a key created with Extractable=false";
    } catch (KmipException e) {
      if (e.kind() != KmipException.Kind.OPERATION_FAILED) {
        throw e;
      }
      return null;
    } finally {
      destroyQuietly(c, id);
    }
  }

  /** Signs with a throw-away RSA-2048 pair and checks the salt length against the public key. */
  static PssMode rsaPss(KmipClient c) throws KmipException {
    String name = probeName();
    KeyPairIds ids =
        c.createKeyPair(
            List.of(Attribute.algorithm(CryptographicAlgorithm.RSA), Attribute.length(2048)),
            List.of(Attribute.usageMask(UsageMask.SIGN), Attribute.name(name)),
            List.of(Attribute.usageMask(UsageMask.VERIFY), Attribute.name(name)));
    try {
      for (BatchResult r :
          c.batch(
              List.of(
                  KmipClient.activateItem(ids.privateKeyId()),
                  KmipClient.activateItem(ids.publicKeyId())),
              true)) {
        r.payloadOrThrow();
      }
      PublicKey pub = PublicKeys.rsa(c.get(ids.publicKeyId()));
      byte[] msg = "fleetvault rsa-pss probe".getBytes(StandardCharsets.UTF_8);
      for (PssMode mode : new PssMode[] {PssMode.SEND_SALT_LENGTH, PssMode.SERVER_DEFAULT}) {
        try {
          byte[] sig = c.sign(ids.privateKeyId(), params(mode), msg);
          if (RsaPss.verify(pub, msg, sig)) {
            return mode;
          }
          LOG.info("KMIP server's RSA-PSS signature ({}) does not use salt length 32", mode);
        } catch (KmipException e) {
          if (e.kind() != KmipException.Kind.OPERATION_FAILED) {
            throw e;
          }
          LOG.info("KMIP server refused RSA-PSS sign ({}): {}", mode, e.getMessage());
        }
      }
      return PssMode.UNSUPPORTED;
    } catch (java.security.GeneralSecurityException e) {
      LOG.warn("cannot read the probe key pair's public key: {}", e.getMessage());
      return PssMode.UNSUPPORTED;
    } finally {
      revokeQuietly(c, ids.privateKeyId());
      revokeQuietly(c, ids.publicKeyId());
      destroyQuietly(c, ids.privateKeyId());
      destroyQuietly(c, ids.publicKeyId());
    }
  }

  static CryptographicParameters params(PssMode mode) {
    return CryptographicParameters.rsaPssSha256(
        mode == PssMode.SEND_SALT_LENGTH ? RsaPss.SALT_LENGTH : -1);
  }

  static void revokeQuietly(KmipClient c, String id) {
    try {
      c.revoke(id, RevocationReasonCode.CESSATION_OF_OPERATION, "fleetvault clean-up");
    } catch (KmipException e) {
      LOG.debug("revoke of {} failed: {}", id, e.getMessage());
    }
  }

  static void destroyQuietly(KmipClient c, String id) {
    try {
      c.destroy(id);
    } catch (KmipException e) {
      LOG.warn("could not destroy KMIP object {}: {}", id, e.getMessage());
    }
  }
}
