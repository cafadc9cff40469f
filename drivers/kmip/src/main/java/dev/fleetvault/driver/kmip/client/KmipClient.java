package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.client.impl.ConnectionPool;
import dev.fleetvault.driver.kmip.client.impl.KmipConnection;
import dev.fleetvault.driver.kmip.client.impl.Messages;
import dev.fleetvault.driver.kmip.ttlv.KmipEnum;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.KeyFormatType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.QueryFunction;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.RevocationReasonCode;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ValidityIndicator;
import dev.fleetvault.driver.kmip.ttlv.Tag;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import dev.fleetvault.driver.kmip.ttlv.TtlvException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A KMIP client over mutually authenticated TLS.
 *
 * <p>Guarantees: thread-safe; at most {@link KmipClientConfig#maxConnections()} requests are in
 * flight, further callers wait up to the borrow timeout and then get {@link
 * KmipException.Kind#BUSY}; each response is awaited at most the operation timeout; the protocol
 * version is negotiated once with DiscoverVersions when the client is created and used for every
 * request; every response is decoded under {@link KmipClientConfig#limits()} and matched to its
 * request. A request is re-sent (once, on a new connection) only when a reused pooled connection
 * failed before answering and every operation in it is free of side effects.
 */
public final class KmipClient implements AutoCloseable {
  private static final Set<Operation> SIDE_EFFECT_FREE =
      EnumSet.of(
          Operation.DISCOVER_VERSIONS,
          Operation.QUERY,
          Operation.LOCATE,
          Operation.GET,
          Operation.GET_ATTRIBUTES,
          Operation.GET_ATTRIBUTE_LIST,
          Operation.ENCRYPT,
          Operation.DECRYPT,
          Operation.SIGN,
          Operation.SIGNATURE_VERIFY,
          Operation.MAC,
          Operation.MAC_VERIFY);

  private final KmipClientConfig config;
  private final ConnectionPool pool;
  private volatile ProtocolVersion version;

  private KmipClient(KmipClientConfig config) {
    this.config = config;
    this.pool = new ConnectionPool(config);
    this.version = config.versions().get(0);
  }

  /** Connects and negotiates the protocol version (DiscoverVersions). */
  public static KmipClient connect(KmipClientConfig config) throws KmipException {
    KmipClient c = new KmipClient(config);
    try {
      List<ProtocolVersion> common = c.discoverVersions(config.versions());
      ProtocolVersion chosen = null;
      for (ProtocolVersion v : common) { // the server lists them in its order of preference
        if (config.versions().contains(v)) {
          chosen = v;
          break;
        }
      }
      if (chosen == null) {
        throw new KmipException(
            KmipException.Kind.PROTOCOL,
            Operation.DISCOVER_VERSIONS,
            "KMIP server supports none of the versions "
                + config.versions()
                + " (it offered "
                + common
                + ")",
            null);
      }
      c.version = chosen;
      return c;
    } catch (KmipException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The negotiated protocol version. */
  public ProtocolVersion protocolVersion() {
    return version;
  }

  /** The configuration this client runs with. */
  public KmipClientConfig config() {
    return config;
  }

  /**
   * Sends several operations in one request message and returns one result per item, in order.
   *
   * @param stopOnError ask the server to stop at the first failure (later items come back as
   *     "operation undone") instead of continuing with the rest
   */
  public List<BatchResult> batch(List<BatchItem> items, boolean stopOnError) throws KmipException {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    Operation first = items.get(0).operation();
    char[] pw = config.password();
    byte[] request;
    try {
      request =
          Messages.request(
              version,
              items,
              stopOnError,
              config.limits().maxMessageBytes(),
              pw == null ? null : Messages.usernamePassword(config.username(), pw));
    } finally {
      if (pw != null) {
        java.util.Arrays.fill(pw, '\0');
      }
    }
    boolean resendable = items.stream().allMatch(i -> SIDE_EFFECT_FREE.contains(i.operation()));
    KmipConnection c = pool.borrow(first);
    try {
      Ttlv response;
      boolean reused = c.wasUsed();
      try {
        response = c.exchange(request, first);
      } catch (KmipException e) {
        if (!(reused && resendable && e.kind() == KmipException.Kind.TRANSPORT)) {
          throw e;
        }
        KmipConnection failed = c;
        c = null;
        c =
            pool.replace(
                failed, first); // stale pooled connection: the server never saw the request
        response = c.exchange(request, first);
      }
      try {
        return Messages.results(response, items);
      } catch (KmipException e) {
        c.markBroken();
        throw e;
      }
    } finally {
      if (c != null) {
        pool.release(c);
      }
    }
  }

  /** Connections currently open to the server (for leak checks). */
  public int openConnections() {
    return pool.openConnections();
  }

  private Ttlv call(Operation op, Ttlv... payloadFields) throws KmipException {
    return batch(
            List.of(new BatchItem(op, Ttlv.structure(Tag.REQUEST_PAYLOAD, payloadFields))), true)
        .get(0)
        .payloadOrThrow();
  }

  private static KmipException malformed(Operation op, TtlvException e) {
    return new KmipException(
        KmipException.Kind.PROTOCOL, op, "malformed " + op + " response: " + e.getMessage(), e);
  }

  private static Ttlv uid(String id) {
    return Ttlv.text(Tag.UNIQUE_IDENTIFIER, id);
  }

  /**
   * DiscoverVersions: the versions the server supports out of {@code offered}, in the server's
   * order.
   */
  public List<ProtocolVersion> discoverVersions(List<ProtocolVersion> offered)
      throws KmipException {
    Ttlv[] fields = offered.stream().map(ProtocolVersion::toTtlv).toArray(Ttlv[]::new);
    Ttlv p = call(Operation.DISCOVER_VERSIONS, fields);
    try {
      List<ProtocolVersion> out = new ArrayList<>();
      for (Ttlv v : p.all(Tag.PROTOCOL_VERSION)) {
        out.add(ProtocolVersion.fromTtlv(v));
      }
      return out;
    } catch (TtlvException e) {
      throw malformed(Operation.DISCOVER_VERSIONS, e);
    }
  }

  /** Query with the given functions. */
  public QueryResult query(QueryFunction... functions) throws KmipException {
    Ttlv[] fields = new Ttlv[functions.length];
    for (int i = 0; i < functions.length; i++) {
      fields[i] = Ttlv.enumeration(Tag.QUERY_FUNCTION, functions[i].code());
    }
    Ttlv p = call(Operation.QUERY, fields);
    try {
      Set<Operation> ops = EnumSet.noneOf(Operation.class);
      for (Ttlv t : p.all(Tag.OPERATION)) {
        Operation o = KmipEnum.ofCode(Operation.class, t.asEnum());
        if (o != null) {
          ops.add(o);
        }
      }
      List<Integer> types = new ArrayList<>();
      for (Ttlv t : p.all(Tag.OBJECT_TYPE)) {
        types.add(t.asEnum());
      }
      Optional<String> vendor =
          p.find(Tag.VENDOR_IDENTIFICATION).isPresent()
              ? Optional.of(p.require(Tag.VENDOR_IDENTIFICATION).asText())
              : Optional.empty();
      Optional<String> info = p.find(Tag.SERVER_INFORMATION).map(Ttlv::toString);
      return new QueryResult(ops, types, vendor, info);
    } catch (TtlvException e) {
      throw malformed(Operation.QUERY, e);
    }
  }

  /** Create: a symmetric key with the given attributes; returns its Unique Identifier. */
  public String create(ObjectType type, List<Attribute> attributes) throws KmipException {
    Ttlv p =
        call(
            Operation.CREATE,
            Ttlv.enumeration(Tag.OBJECT_TYPE, type.code()),
            template(Tag.TEMPLATE_ATTRIBUTE, attributes));
    try {
      return p.require(Tag.UNIQUE_IDENTIFIER).asText();
    } catch (TtlvException e) {
      throw malformed(Operation.CREATE, e);
    }
  }

  private static Ttlv template(int tag, List<Attribute> attributes) {
    return Ttlv.structure(tag, attributes.stream().map(Attribute::toTtlv).toList());
  }

  /** CreateKeyPair with common, private-key and public-key attributes. */
  public KeyPairIds createKeyPair(
      List<Attribute> common, List<Attribute> privateKey, List<Attribute> publicKey)
      throws KmipException {
    Ttlv p =
        call(
            Operation.CREATE_KEY_PAIR,
            template(Tag.COMMON_TEMPLATE_ATTRIBUTE, common),
            template(Tag.PRIVATE_KEY_TEMPLATE_ATTRIBUTE, privateKey),
            template(Tag.PUBLIC_KEY_TEMPLATE_ATTRIBUTE, publicKey));
    try {
      return new KeyPairIds(
          p.require(Tag.PRIVATE_KEY_UNIQUE_IDENTIFIER).asText(),
          p.require(Tag.PUBLIC_KEY_UNIQUE_IDENTIFIER).asText());
    } catch (TtlvException e) {
      throw malformed(Operation.CREATE_KEY_PAIR, e);
    }
  }

  /** Activate: moves an object to the Active state. */
  public void activate(String id) throws KmipException {
    call(Operation.ACTIVATE, uid(id));
  }

  /** The request payload of Activate, for batching. */
  public static BatchItem activateItem(String id) {
    return new BatchItem(Operation.ACTIVATE, Ttlv.structure(Tag.REQUEST_PAYLOAD, uid(id)));
  }

  /**
   * Locate: Unique Identifiers of objects matching every filter attribute (at most {@code
   * maxItems}).
   */
  public List<String> locate(List<Attribute> filters, int maxItems) throws KmipException {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(Ttlv.integer(Tag.MAXIMUM_ITEMS, maxItems));
    filters.forEach(a -> fields.add(a.toTtlv()));
    Ttlv p = call(Operation.LOCATE, fields.toArray(new Ttlv[0]));
    try {
      List<String> ids = new ArrayList<>();
      for (Ttlv t : p.all(Tag.UNIQUE_IDENTIFIER)) {
        ids.add(t.asText());
      }
      return ids;
    } catch (TtlvException e) {
      throw malformed(Operation.LOCATE, e);
    }
  }

  /** Locate by Name. */
  public List<String> locateByName(String name, int maxItems) throws KmipException {
    return locate(List.of(Attribute.name(name)), maxItems);
  }

  /** Get: a key whose Key Material is a Byte String (public keys in PKCS#1 or X.509 form ...). */
  public ManagedKey get(String id) throws KmipException {
    Ttlv p = call(Operation.GET, uid(id));
    try {
      int type = p.require(Tag.OBJECT_TYPE).asEnum();
      Ttlv object = null;
      for (Ttlv c : p.children()) {
        if (c.tag() != Tag.OBJECT_TYPE && c.tag() != Tag.UNIQUE_IDENTIFIER) {
          object = c;
        }
      }
      if (object == null) {
        throw new TtlvException("Get response carries no object");
      }
      Ttlv block = object.require(Tag.KEY_BLOCK);
      int format = block.require(Tag.KEY_FORMAT_TYPE).asEnum();
      Ttlv material = block.require(Tag.KEY_VALUE).require(Tag.KEY_MATERIAL);
      int alg =
          block.find(Tag.CRYPTOGRAPHIC_ALGORITHM).isPresent()
              ? block.require(Tag.CRYPTOGRAPHIC_ALGORITHM).asEnum()
              : -1;
      int len =
          block.find(Tag.CRYPTOGRAPHIC_LENGTH).isPresent()
              ? block.require(Tag.CRYPTOGRAPHIC_LENGTH).asInt()
              : -1;
      if (material.type() != dev.fleetvault.driver.kmip.ttlv.ItemType.BYTE_STRING) {
        throw new KmipException(
            KmipException.Kind.PROTOCOL,
            Operation.GET,
            "key format "
                + KmipEnum.nameOf(KeyFormatType.class, format)
                + " with structured key material is not supported",
            null);
      }
      return new ManagedKey(type, format, alg, len, material.asBytes());
    } catch (TtlvException e) {
      throw malformed(Operation.GET, e);
    }
  }

  /** GetAttributes: the named attributes of an object (all of them when no name is given). */
  public List<Attribute> getAttributes(String id, String... names) throws KmipException {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(uid(id));
    for (String n : names) {
      fields.add(Ttlv.text(Tag.ATTRIBUTE_NAME, n));
    }
    return attributesOf(call(Operation.GET_ATTRIBUTES, fields.toArray(new Ttlv[0])));
  }

  /** The request of GetAttributes, for batching. */
  public static BatchItem getAttributesItem(String id, String... names) {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(uid(id));
    for (String n : names) {
      fields.add(Ttlv.text(Tag.ATTRIBUTE_NAME, n));
    }
    return new BatchItem(Operation.GET_ATTRIBUTES, Ttlv.structure(Tag.REQUEST_PAYLOAD, fields));
  }

  /** Reads the attributes from a GetAttributes response payload. */
  public static List<Attribute> attributesOf(Ttlv payload) throws KmipException {
    try {
      List<Attribute> out = new ArrayList<>();
      for (Ttlv a : payload.all(Tag.ATTRIBUTE)) {
        out.add(Attribute.fromTtlv(a));
      }
      return out;
    } catch (TtlvException e) {
      throw malformed(Operation.GET_ATTRIBUTES, e);
    }
  }

  /**
   * Encrypt. For AEAD modes {@code aad} and the returned tag use the KMIP 1.4 fields, so the
   * negotiated version must be 1.4 or later when {@code aad} is given.
   *
   * @param iv the IV/nonce, or {@code null} to let the server pick one (then returned)
   */
  public EncryptResult encrypt(
      String id, CryptographicParameters params, byte[] data, byte[] iv, byte[] aad)
      throws KmipException {
    requireAead(Operation.ENCRYPT, aad);
    Ttlv p =
        call(
            Operation.ENCRYPT,
            uid(id),
            params.toTtlv(),
            Ttlv.bytes(Tag.DATA, data),
            iv == null ? null : Ttlv.bytes(Tag.IV_COUNTER_NONCE, iv),
            aad == null || aad.length == 0
                ? null
                : Ttlv.bytes(Tag.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, aad));
    try {
      byte[] ct = p.require(Tag.DATA).asBytes();
      byte[] outIv =
          p.find(Tag.IV_COUNTER_NONCE).isPresent()
              ? p.require(Tag.IV_COUNTER_NONCE).asBytes()
              : null;
      byte[] tag =
          p.find(Tag.AUTHENTICATED_ENCRYPTION_TAG).isPresent()
              ? p.require(Tag.AUTHENTICATED_ENCRYPTION_TAG).asBytes()
              : null;
      return new EncryptResult(ct, outIv, tag);
    } catch (TtlvException e) {
      throw malformed(Operation.ENCRYPT, e);
    }
  }

  /** Decrypt; {@code aad} and {@code tag} use the KMIP 1.4 AEAD fields. */
  public byte[] decrypt(
      String id, CryptographicParameters params, byte[] data, byte[] iv, byte[] aad, byte[] tag)
      throws KmipException {
    requireAead(Operation.DECRYPT, tag);
    Ttlv p =
        call(
            Operation.DECRYPT,
            uid(id),
            params.toTtlv(),
            Ttlv.bytes(Tag.DATA, data),
            iv == null ? null : Ttlv.bytes(Tag.IV_COUNTER_NONCE, iv),
            aad == null || aad.length == 0
                ? null
                : Ttlv.bytes(Tag.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, aad),
            tag == null ? null : Ttlv.bytes(Tag.AUTHENTICATED_ENCRYPTION_TAG, tag));
    try {
      return p.require(Tag.DATA).asBytes();
    } catch (TtlvException e) {
      throw malformed(Operation.DECRYPT, e);
    }
  }

  private void requireAead(Operation op, byte[] field) throws KmipException {
    if (field != null && version.compareTo(ProtocolVersion.V1_4) < 0) {
      throw new KmipException(
          KmipException.Kind.PROTOCOL,
          op,
          "AEAD associated data and tags need KMIP 1.4; negotiated " + version,
          null);
    }
  }

  /** Sign: the server hashes {@code data} as the parameters say. */
  public byte[] sign(String id, CryptographicParameters params, byte[] data) throws KmipException {
    Ttlv p = call(Operation.SIGN, uid(id), params.toTtlv(), Ttlv.bytes(Tag.DATA, data));
    try {
      return p.require(Tag.SIGNATURE_DATA).asBytes();
    } catch (TtlvException e) {
      throw malformed(Operation.SIGN, e);
    }
  }

  /** SignatureVerify: whether the server finds {@code signature} valid for {@code data}. */
  public boolean signatureVerify(
      String id, CryptographicParameters params, byte[] data, byte[] signature)
      throws KmipException {
    Ttlv p =
        call(
            Operation.SIGNATURE_VERIFY,
            uid(id),
            params.toTtlv(),
            Ttlv.bytes(Tag.DATA, data),
            Ttlv.bytes(Tag.SIGNATURE_DATA, signature));
    try {
      return p.require(Tag.VALIDITY_INDICATOR).asEnum() == ValidityIndicator.VALID.code();
    } catch (TtlvException e) {
      throw malformed(Operation.SIGNATURE_VERIFY, e);
    }
  }

  /** MAC over {@code data}. */
  public byte[] mac(String id, CryptographicParameters params, byte[] data) throws KmipException {
    Ttlv p = call(Operation.MAC, uid(id), params.toTtlv(), Ttlv.bytes(Tag.DATA, data));
    try {
      return p.require(Tag.MAC_DATA).asBytes();
    } catch (TtlvException e) {
      throw malformed(Operation.MAC, e);
    }
  }

  /** RNG Retrieve: {@code length} random bytes from the server's generator. */
  public byte[] rngRetrieve(int length) throws KmipException {
    Ttlv p = call(Operation.RNG_RETRIEVE, Ttlv.integer(Tag.DATA_LENGTH, length));
    try {
      byte[] data = p.require(Tag.DATA).asBytes();
      if (data.length != length) {
        throw new KmipException(
            KmipException.Kind.PROTOCOL,
            Operation.RNG_RETRIEVE,
            "RNG Retrieve returned " + data.length + " bytes, asked for " + length,
            null);
      }
      return data;
    } catch (TtlvException e) {
      throw malformed(Operation.RNG_RETRIEVE, e);
    }
  }

  /** Revoke with a reason (the object leaves the Active state). */
  public void revoke(String id, RevocationReasonCode reason, String message) throws KmipException {
    call(
        Operation.REVOKE,
        uid(id),
        Ttlv.structure(
            Tag.REVOCATION_REASON,
            Ttlv.enumeration(Tag.REVOCATION_REASON_CODE, reason.code()),
            message == null ? null : Ttlv.text(Tag.REVOCATION_MESSAGE, message)));
  }

  /** Destroy (the object must not be Active). */
  public void destroy(String id) throws KmipException {
    call(Operation.DESTROY, uid(id));
  }

  /** Closes every pooled connection; later calls fail with {@link KmipException.Kind#CLOSED}. */
  @Override
  public void close() {
    pool.close();
  }
}
