package dev.fleetvault.protocol.passkey.impl;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.CborConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.authenticator.EdDSACOSEKey;
import com.webauthn4j.data.attestation.authenticator.RSACOSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.fleetvault.protocol.passkey.PasskeyAssertionVerifier;
import dev.fleetvault.protocol.passkey.PasskeyRefusedException;
import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import dev.fleetvault.protocol.wire.PasskeyRecord;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link PasskeyAssertionVerifier} on webauthn4j: {@code WebAuthnManager.parse} and {@code
 * verify(AuthenticationData, AuthenticationParameters)} do the WebAuthn checks (client data type,
 * challenge, origin, rp id hash, UP, UV, allowed credential, signature); this class adds the checks
 * webauthn4j leaves to the relying party (cross-origin, user handle) and turns the library's
 * exceptions into {@link PasskeyRefusedException}. Stateless: the stored signature counter is
 * always 0, so webauthn4j's counter check never refuses (PROTOCOL.md 21.6).
 */
public final class Webauthn4jVerifier implements PasskeyAssertionVerifier {
  /** The one instance (webauthn4j's manager and converters are thread-safe). */
  public static final Webauthn4jVerifier INSTANCE = new Webauthn4jVerifier();

  private static final Set<Long> ALGORITHMS =
      Set.of(
          COSEAlgorithmIdentifier.ES256.getValue(),
          COSEAlgorithmIdentifier.EdDSA.getValue(),
          COSEAlgorithmIdentifier.RS256.getValue());
  private static final BigInteger P256_ORDER =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  private final ObjectConverter converter = new ObjectConverter();
  private final CborConverter cbor = converter.getCborConverter();
  private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);

  private Webauthn4jVerifier() {}

  @Override
  public byte[] coseKey(PasskeyCredential credential) {
    boolean cose = !credential.getCosePublicKey().isEmpty();
    boolean spki = !credential.getSpkiPublicKey().isEmpty();
    if (cose == spki) {
      throw new IllegalArgumentException(
          "passkey: exactly one of cose_public_key and spki_public_key must be set");
    }
    if (cose) {
      if (credential.getPublicKeyAlgorithm() != 0) {
        throw new IllegalArgumentException(
            "passkey: public_key_algorithm goes only with spki_public_key");
      }
      byte[] bytes = credential.getCosePublicKey().toByteArray();
      checked(decodeCose(bytes));
      return bytes;
    }
    return cbor.writeValueAsBytes(
        checked(
            fromSpki(
                credential.getSpkiPublicKey().toByteArray(), credential.getPublicKeyAlgorithm())));
  }

  private COSEKey decodeCose(byte[] bytes) {
    try {
      COSEKey key = cbor.readValue(bytes, COSEKey.class);
      if (key == null) {
        throw new IllegalArgumentException("passkey: cose_public_key is empty CBOR");
      }
      return key;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("passkey: cose_public_key is not a COSE_Key", e);
    }
  }

  private static COSEKey fromSpki(byte[] der, int alg) {
    try {
      if (alg == COSEAlgorithmIdentifier.ES256.getValue()) {
        PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        ECPublicKey ec = (ECPublicKey) k;
        if (!ec.getParams().getOrder().equals(P256_ORDER)) {
          throw new IllegalArgumentException("passkey: an ES256 key must be on P-256");
        }
        return EC2COSEKey.create(ec, COSEAlgorithmIdentifier.ES256);
      }
      if (alg == COSEAlgorithmIdentifier.EdDSA.getValue()) {
        PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        return EdDSACOSEKey.create((EdECPublicKey) k, COSEAlgorithmIdentifier.EdDSA);
      }
      if (alg == COSEAlgorithmIdentifier.RS256.getValue()) {
        PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        return RSACOSEKey.create((RSAPublicKey) k, COSEAlgorithmIdentifier.RS256);
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(
          "passkey: spki_public_key is not a valid key for algorithm " + alg, e);
    }
    throw new IllegalArgumentException(
        "passkey: public_key_algorithm "
            + alg
            + " is not allowed (-7 ES256, -8 EdDSA, -257 RS256)");
  }

  private static COSEKey checked(COSEKey key) {
    try {
      key.validate();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("passkey: the COSE key is invalid: " + e.getMessage(), e);
    }
    if (!key.hasPublicKey()
        || key.hasPrivateKey()
        || key.getAlgorithm() == null
        || !ALGORITHMS.contains(key.getAlgorithm().getValue())) {
      throw new IllegalArgumentException(
          "passkey: the key must be a public ES256, EdDSA or RS256 key with its" + " algorithm");
    }
    PublicKey pk;
    try {
      pk = key.getPublicKey();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("passkey: the COSE key does not give a public key", e);
    }
    if (pk == null) {
      throw new IllegalArgumentException("passkey: the COSE key does not give a public key");
    }
    long alg = key.getAlgorithm().getValue();
    boolean ok =
        alg == COSEAlgorithmIdentifier.ES256.getValue()
            ? pk instanceof ECPublicKey ec && ec.getParams().getOrder().equals(P256_ORDER)
            : alg == COSEAlgorithmIdentifier.EdDSA.getValue()
                ? pk instanceof EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())
                : pk instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048;
    if (!ok) {
      throw new IllegalArgumentException(
          "passkey: the key does not match its algorithm (ES256 on P-256, EdDSA on"
              + " Ed25519, RS256 with at least 2048 bits)");
    }
    return key;
  }

  @Override
  public void verify(PasskeyRecord record, PasskeyAssertion assertion, byte[] challenge)
      throws PasskeyRefusedException {
    if (assertion == null || assertion.getCredentialId().isEmpty()) {
      throw new PasskeyRefusedException("no passkey assertion");
    }
    byte[] credentialId = assertion.getCredentialId().toByteArray();
    if (!MessageDigest.isEqual(credentialId, record.getCredentialId().toByteArray())) {
      throw new PasskeyRefusedException("the assertion is for another credential");
    }
    byte[] userHandle =
        assertion.getUserHandle().isEmpty() ? null : assertion.getUserHandle().toByteArray();
    AuthenticationData data;
    try {
      data =
          manager.parse(
              new AuthenticationRequest(
                  credentialId,
                  userHandle,
                  assertion.getAuthenticatorData().toByteArray(),
                  assertion.getClientDataJson().toByteArray(),
                  assertion.getSignature().toByteArray()));
    } catch (DataConversionException | IllegalArgumentException e) {
      throw new PasskeyRefusedException(
          "the assertion does not parse (authenticator data or client data JSON)");
    } catch (RuntimeException e) {
      throw new PasskeyRefusedException("the assertion does not parse");
    }
    if (data.getCollectedClientData() != null
        && Boolean.TRUE.equals(data.getCollectedClientData().getCrossOrigin())) {
      throw new PasskeyRefusedException("the assertion was made in a cross-origin frame");
    }
    COSEKey key;
    try {
      key = cbor.readValue(record.getCosePublicKey().toByteArray(), COSEKey.class);
    } catch (RuntimeException e) {
      throw new IllegalStateException("the record's passkey key does not decode", e);
    }
    Set<Origin> origins = new LinkedHashSet<>();
    for (String o : record.getAllowedOriginsList()) {
      origins.add(new Origin(o));
    }
    CredentialRecordImpl credential =
        new CredentialRecordImpl(
            new NoneAttestationStatement(),
            null,
            null,
            null,
            0L,
            new AttestedCredentialData(AAGUID.ZERO, record.getCredentialId().toByteArray(), key),
            null,
            null,
            null,
            null);
    ServerProperty server =
        new ServerProperty(origins, record.getRpId(), new DefaultChallenge(challenge.clone()));
    try {
      manager.verify(
          data,
          new AuthenticationParameters(
              server, credential, List.of(record.getCredentialId().toByteArray()), true, true));
    } catch (VerificationException e) {
      throw new PasskeyRefusedException(
          "the assertion failed WebAuthn verification: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      throw new PasskeyRefusedException("the assertion failed WebAuthn verification");
    }
    if (userHandle != null
        && !MessageDigest.isEqual(userHandle, record.getUserHandle().toByteArray())) {
      throw new PasskeyRefusedException("the assertion's user handle is not the registered one");
    }
  }
}
