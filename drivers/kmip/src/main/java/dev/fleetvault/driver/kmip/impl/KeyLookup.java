package dev.fleetvault.driver.kmip.impl;

import dev.fleetvault.driver.kmip.client.Attribute;
import dev.fleetvault.driver.kmip.client.BatchItem;
import dev.fleetvault.driver.kmip.client.BatchResult;
import dev.fleetvault.driver.kmip.client.KmipClient;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.State;
import dev.fleetvault.driver.kmip.ttlv.TtlvException;
import dev.fleetvault.driver.spi.HsmException.Kind;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the driver's key under a label: Locate by Name, then one batched GetAttributes (Object
 * Type, Cryptographic Algorithm, State) for every object found. One AES symmetric key is an {@link
 * KeySpec#AES_256} handle; one RSA private plus one RSA public key is an {@link KeySpec#RSA_2048}
 * handle; anything else under the label is a DEVICE_ERROR. Objects still Pre-Active (a generateKey
 * interrupted between Create and Activate) are activated.
 */
final class KeyLookup {
  private KeyLookup() {}

  static Optional<KeyHandle> find(KmipClient client, String label)
      throws KmipException, HsmFatalException {
    List<String> ids = client.locateByName(label, 8);
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    List<BatchItem> items =
        ids.stream()
            .map(
                id ->
                    KmipClient.getAttributesItem(
                        id,
                        Attribute.OBJECT_TYPE,
                        Attribute.CRYPTOGRAPHIC_ALGORITHM,
                        Attribute.STATE))
            .toList();
    List<BatchResult> results = client.batch(items, false);
    String secret = null;
    String priv = null;
    String pub = null;
    List<String> preActive = new ArrayList<>();
    try {
      for (int i = 0; i < ids.size(); i++) {
        int type = -1;
        int alg = -1;
        for (Attribute a : KmipClient.attributesOf(results.get(i).payloadOrThrow())) {
          switch (a.name()) {
            case Attribute.OBJECT_TYPE -> type = a.value().asEnum();
            case Attribute.CRYPTOGRAPHIC_ALGORITHM -> alg = a.value().asEnum();
            case Attribute.STATE -> {
              if (a.value().asEnum() == State.PRE_ACTIVE.code()) {
                preActive.add(ids.get(i));
              }
            }
            default -> {}
          }
        }
        String id = ids.get(i);
        if (type == ObjectType.SYMMETRIC_KEY.code()
            && alg == CryptographicAlgorithm.AES.code()
            && secret == null) {
          secret = id;
        } else if (type == ObjectType.PRIVATE_KEY.code()
            && alg == CryptographicAlgorithm.RSA.code()
            && priv == null) {
          priv = id;
        } else if (type == ObjectType.PUBLIC_KEY.code()
            && alg == CryptographicAlgorithm.RSA.code()
            && pub == null) {
          pub = id;
        } else {
          throw new HsmFatalException(
              Kind.DEVICE_ERROR, "label " + label + " names KMIP objects this driver did not make");
        }
      }
    } catch (TtlvException e) {
      throw new HsmFatalException(
          Kind.DEVICE_ERROR, "malformed attribute in the KMIP answer: " + e.getMessage(), e);
    }
    KeyHandle h;
    if (secret != null && priv == null && pub == null) {
      h = KeyHandle.of(label, KeySpec.AES_256, KeyIds.encode(secret, null));
    } else if (secret == null && priv != null && pub != null) {
      h = KeyHandle.of(label, KeySpec.RSA_2048, KeyIds.encode(priv, pub));
    } else {
      throw new HsmFatalException(
          Kind.DEVICE_ERROR,
          "label " + label + " names an incomplete or mixed set of KMIP objects");
    }
    if (!preActive.isEmpty()) {
      for (BatchResult r :
          client.batch(preActive.stream().map(KmipClient::activateItem).toList(), true)) {
        r.payloadOrThrow();
      }
    }
    return Optional.of(h);
  }
}
