package dev.fleetvault.driver.kmip.client.impl;

import dev.fleetvault.driver.kmip.client.BatchItem;
import dev.fleetvault.driver.kmip.client.BatchResult;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.client.ProtocolVersion;
import dev.fleetvault.driver.kmip.ttlv.KmipEnum;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultStatus;
import dev.fleetvault.driver.kmip.ttlv.Tag;
import dev.fleetvault.driver.kmip.ttlv.Ttlv;
import dev.fleetvault.driver.kmip.ttlv.TtlvEncoder;
import dev.fleetvault.driver.kmip.ttlv.TtlvException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds KMIP request messages and matches response messages to them.
 *
 * <p>Guarantees: every batch item carries a Unique Batch Item ID; a response is accepted only if it
 * is a Response Message whose batch items answer exactly the IDs sent (or a single message-level
 * failure without ID, which then applies to every item); anything else is a {@link
 * KmipException.Kind#PROTOCOL} error.
 */
public final class Messages {
  /** Batch Error Continuation Option codes. */
  private static final int CONTINUE = 1;

  private static final int STOP = 2;

  private Messages() {}

  /** Encodes a request message for {@code items} under {@code version}. */
  public static byte[] request(
      ProtocolVersion version,
      List<BatchItem> items,
      boolean stopOnError,
      int maxResponseSize,
      Ttlv authentication) {
    List<Ttlv> header = new ArrayList<>();
    header.add(version.toTtlv());
    header.add(Ttlv.integer(Tag.MAXIMUM_RESPONSE_SIZE, maxResponseSize));
    if (authentication != null) {
      header.add(authentication);
    }
    if (items.size() > 1) {
      header.add(
          Ttlv.enumeration(Tag.BATCH_ERROR_CONTINUATION_OPTION, stopOnError ? STOP : CONTINUE));
      header.add(Ttlv.bool(Tag.BATCH_ORDER_OPTION, true));
    }
    header.add(Ttlv.integer(Tag.BATCH_COUNT, items.size()));
    List<Ttlv> message = new ArrayList<>();
    message.add(Ttlv.structure(Tag.REQUEST_HEADER, header));
    for (int i = 0; i < items.size(); i++) {
      BatchItem it = items.get(i);
      message.add(
          Ttlv.structure(
              Tag.BATCH_ITEM,
              Ttlv.enumeration(Tag.OPERATION, it.operation().code()),
              Ttlv.bytes(Tag.UNIQUE_BATCH_ITEM_ID, batchId(i)),
              it.payload()));
    }
    return TtlvEncoder.encode(Ttlv.structure(Tag.REQUEST_MESSAGE, message));
  }

  /** The Authentication structure for a Username and Password credential (credential type 1). */
  public static Ttlv usernamePassword(String username, char[] password) {
    return Ttlv.structure(
        Tag.AUTHENTICATION,
        Ttlv.structure(
            Tag.CREDENTIAL,
            Ttlv.enumeration(Tag.CREDENTIAL_TYPE, 1),
            Ttlv.structure(
                Tag.CREDENTIAL_VALUE,
                Ttlv.text(Tag.USERNAME, username),
                Ttlv.text(Tag.PASSWORD, new String(password)))));
  }

  static byte[] batchId(int i) {
    return ByteBuffer.allocate(4).putInt(i + 1).array();
  }

  /** Matches a decoded response message to the request's items. */
  public static List<BatchResult> results(Ttlv response, List<BatchItem> items)
      throws KmipException {
    Operation first = items.get(0).operation();
    try {
      if (response.tag() != Tag.RESPONSE_MESSAGE) {
        throw protocol(first, "answer is " + Tag.name(response.tag()) + ", not a response message");
      }
      Ttlv header = response.require(Tag.RESPONSE_HEADER);
      int count = header.require(Tag.BATCH_COUNT).asInt();
      List<Ttlv> batch = response.all(Tag.BATCH_ITEM);
      if (count != batch.size()) {
        throw protocol(first, "batch count " + count + " but " + batch.size() + " batch items");
      }
      if (batch.size() == 1
          && items.size() >= 1
          && batch.get(0).find(Tag.UNIQUE_BATCH_ITEM_ID).isEmpty()) {
        BatchResult r = result(batch.get(0), items.get(0).operation());
        if (items.size() == 1 || !r.ok()) {
          List<BatchResult> all = new ArrayList<>();
          for (BatchItem it : items) {
            all.add(
                new BatchResult(
                    it.operation(),
                    r.status(),
                    r.reason(),
                    r.message(),
                    items.size() == 1 ? r.payload() : null));
          }
          return all;
        }
      }
      BatchResult[] out = new BatchResult[items.size()];
      for (Ttlv b : batch) {
        Optional<Ttlv> id = b.find(Tag.UNIQUE_BATCH_ITEM_ID);
        if (id.isEmpty()) {
          throw protocol(first, "batch item without Unique Batch Item ID in a batched response");
        }
        int idx = indexOf(id.get().asBytes(), items.size());
        if (idx < 0 || out[idx] != null) {
          throw protocol(first, "response batch item ID does not match the request");
        }
        out[idx] = result(b, items.get(idx).operation());
      }
      List<BatchResult> list = new ArrayList<>();
      for (int i = 0; i < out.length; i++) {
        // With "stop on error" the server omits items after a failure: report them as not executed.
        list.add(
            out[i] != null
                ? out[i]
                : new BatchResult(
                    items.get(i).operation(),
                    ResultStatus.OPERATION_UNDONE.code(),
                    -1,
                    "not executed: an earlier batch item failed",
                    null));
      }
      return list;
    } catch (TtlvException e) {
      throw protocol(first, e.getMessage());
    }
  }

  private static int indexOf(byte[] id, int n) {
    for (int i = 0; i < n; i++) {
      if (Arrays.equals(id, batchId(i))) {
        return i;
      }
    }
    return -1;
  }

  private static BatchResult result(Ttlv b, Operation expected)
      throws TtlvException, KmipException {
    Optional<Ttlv> op = b.find(Tag.OPERATION);
    if (op.isPresent() && op.get().asEnum() != expected.code()) {
      throw protocol(
          expected,
          "response operation "
              + KmipEnum.nameOf(Operation.class, op.get().asEnum())
              + " does not match the request");
    }
    int status = b.require(Tag.RESULT_STATUS).asEnum();
    int reason = b.find(Tag.RESULT_REASON).isPresent() ? b.require(Tag.RESULT_REASON).asEnum() : -1;
    String message =
        b.find(Tag.RESULT_MESSAGE).isPresent() ? b.require(Tag.RESULT_MESSAGE).asText() : null;
    Ttlv payload = b.find(Tag.RESPONSE_PAYLOAD).orElse(null);
    if (status != ResultStatus.SUCCESS.code()
        && status != ResultStatus.OPERATION_FAILED.code()
        && status != ResultStatus.OPERATION_UNDONE.code()) {
      throw protocol(
          expected,
          "unsupported result status "
              + KmipEnum.nameOf(ResultStatus.class, status)
              + " (asynchronous operations are not used by this client)");
    }
    return new BatchResult(expected, status, reason, message, payload);
  }

  private static KmipException protocol(Operation op, String what) {
    return new KmipException(
        KmipException.Kind.PROTOCOL, op, "malformed KMIP response to " + op + ": " + what, null);
  }
}
