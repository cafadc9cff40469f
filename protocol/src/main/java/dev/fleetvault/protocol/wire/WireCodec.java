package dev.fleetvault.protocol.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.wire.impl.WireRules;
import java.util.Objects;

/**
 * Strict decoding and checking of every fleetvault.v1 message type.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #decode(Class, byte[])} refuses input longer than the type's limit before parsing
 *       it, refuses truncated or malformed protobuf, unknown fields (at any depth), a {@code
 *       version}/{@code suite} other than 1/1 on top-level messages, and fields of the wrong length
 *       or range; it throws {@link WireFormatException} naming the type, field and rule and returns
 *       nothing partial.
 *   <li>{@link #check(Message)} applies the same rules to a message that a gRPC stub already parsed
 *       (the Vert.x stubs decode for you: call it first thing in every handler).
 *   <li>Length rules are syntactic (e.g. a point is 33 bytes); whether a point is on the curve is
 *       checked where it is used, in {@code dev.fleetvault.protocol.flow}.
 * </ul>
 *
 * Every type in this package generated from fleetvault/v1/*.proto is supported; the limits are
 * {@link WireLimits}.
 */
public final class WireCodec {
  private WireCodec() {}

  /** Parses {@code bytes} as {@code type} and {@link #check(Message) checks} it. */
  public static <T extends Message> T decode(Class<T> type, byte[] bytes) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(bytes, "bytes");
    WireRules.Rule<T> rule = WireRules.rule(type);
    if (bytes.length > rule.maxSize()) {
      throw new WireFormatException(
          WireFormatException.Reason.TOO_LARGE,
          type.getSimpleName() + " is " + bytes.length + " bytes, limit " + rule.maxSize());
    }
    T message;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(8);
      message = rule.parser().parseFrom(in);
      in.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException(
          WireFormatException.Reason.MALFORMED,
          type.getSimpleName() + " is not a valid protobuf encoding (truncated or corrupt)",
          e);
    }
    rule.check(message);
    return message;
  }

  /** Checks an already-parsed message against every rule of its type; returns it. */
  public static <T extends Message> T check(T message) {
    Objects.requireNonNull(message, "message");
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) message.getClass();
    WireRules.Rule<T> rule = WireRules.rule(type);
    int size = message.getSerializedSize();
    if (size > rule.maxSize()) {
      throw new WireFormatException(
          WireFormatException.Reason.TOO_LARGE,
          type.getSimpleName() + " is " + size + " bytes, limit " + rule.maxSize());
    }
    rule.check(message);
    return message;
  }

  /** Checks {@code message} and returns its encoding (so nothing we send breaks our own rules). */
  public static byte[] encode(Message message) {
    return check(message).toByteArray();
  }

  /** The largest encoding accepted for {@code type}. */
  public static int maxSize(Class<? extends Message> type) {
    return WireRules.rule(type).maxSize();
  }
}
