package dev.fleetvault.protocol.wire.impl;

import static dev.fleetvault.protocol.wire.WireFormatException.Reason.INVALID_FIELD;
import static dev.fleetvault.protocol.wire.WireFormatException.Reason.UNKNOWN_FIELD;
import static dev.fleetvault.protocol.wire.WireFormatException.Reason.UNKNOWN_VERSION;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.fleetvault.protocol.wire.*;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The per-type size limit and field rules behind {@link WireCodec}. */
public final class WireRules {
  /** Passkey field limits (PROTOCOL.md section 7 and 21). */
  private static final int MAX_CREDENTIAL_ID = 255;

  private static final int MAX_PUBLIC_KEY = 300;
  private static final int MAX_USER_HANDLE = 64;
  private static final int MAX_RP_ID = 253;
  private static final int MAX_ORIGINS = 8;
  private static final int MAX_ORIGIN = 200;
  private static final String PASSKEY_PIN_PARAMS = "passkey-prf-v1";

  /** One type's parser, size limit and checks. */
  public static final class Rule<T extends Message> {
    private final Parser<T> parser;
    private final int maxSize;
    private final Consumer<T> checks;

    Rule(Parser<T> parser, int maxSize, Consumer<T> checks) {
      this.parser = parser;
      this.maxSize = maxSize;
      this.checks = checks;
    }

    public Parser<T> parser() {
      return parser;
    }

    public int maxSize() {
      return maxSize;
    }

    public void check(T message) {
      // the type's own rules first, so a version or suite this code does not speak is reported
      // as such even when the message also carries that version's new fields
      checks.accept(message);
      noUnknownFields(message, message.getDescriptorForType().getName());
    }
  }

  private static final Map<Class<?>, Rule<?>> RULES = new HashMap<>();

  private static <T extends Message> void add(
      Class<T> type, Parser<T> parser, int max, Consumer<T> checks) {
    RULES.put(type, new Rule<>(parser, max, checks));
  }

  static {
    int cReq = WireLimits.MAX_CLIENT_REQUEST;
    int cResp = WireLimits.MAX_CLIENT_RESPONSE;
    add(
        Register1Request.class,
        Register1Request.parser(),
        cReq,
        m ->
            clientRequest(
                "Register1Request",
                m.getVersion(),
                m.getSuite(),
                m.getUserId(),
                m.getRequestsList()));
    add(
        Register2Request.class,
        Register2Request.parser(),
        cReq,
        m ->
            clientRequest(
                "Register2Request",
                m.getVersion(),
                m.getSuite(),
                m.getUserId(),
                m.getRequestsList()));
    add(
        Recover0Request.class,
        Recover0Request.parser(),
        cReq,
        m ->
            clientRequest(
                "Recover0Request",
                m.getVersion(),
                m.getSuite(),
                m.getUserId(),
                m.getRequestsList()));
    add(
        Recover1Request.class,
        Recover1Request.parser(),
        cReq,
        m ->
            clientRequest(
                "Recover1Request",
                m.getVersion(),
                m.getSuite(),
                m.getUserId(),
                m.getRequestsList()));
    add(
        Recover2Request.class,
        Recover2Request.parser(),
        cReq,
        m ->
            clientRequest(
                "Recover2Request",
                m.getVersion(),
                m.getSuite(),
                m.getUserId(),
                m.getRequestsList()));
    add(
        DeleteRequest.class,
        DeleteRequest.parser(),
        cReq,
        m ->
            clientRequest(
                "DeleteRequest", m.getVersion(), m.getSuite(), m.getUserId(), m.getRequestsList()));
    add(
        StatusRequest.class,
        StatusRequest.parser(),
        64,
        m -> versioned("StatusRequest", m.getVersion(), m.getSuite()));

    add(
        Register1Response.class,
        Register1Response.parser(),
        cResp,
        m ->
            clientResponse(
                "Register1Response",
                m.getVersion(),
                m.getSuite(),
                m.getResultsList(),
                m.getValidationBundle()));
    add(
        Register2Response.class,
        Register2Response.parser(),
        cResp,
        m ->
            clientResponse(
                "Register2Response",
                m.getVersion(),
                m.getSuite(),
                m.getResultsList(),
                m.getValidationBundle()));
    add(
        Recover0Response.class,
        Recover0Response.parser(),
        cResp,
        m ->
            clientResponse(
                "Recover0Response",
                m.getVersion(),
                m.getSuite(),
                m.getResultsList(),
                m.getValidationBundle()));
    add(
        Recover1Response.class,
        Recover1Response.parser(),
        cResp,
        m ->
            clientResponse(
                "Recover1Response",
                m.getVersion(),
                m.getSuite(),
                m.getResultsList(),
                m.getValidationBundle()));
    add(
        Recover2Response.class,
        Recover2Response.parser(),
        cResp,
        m ->
            clientResponse(
                "Recover2Response",
                m.getVersion(),
                m.getSuite(),
                m.getResultsList(),
                m.getValidationBundle()));
    add(
        DeleteResponse.class,
        DeleteResponse.parser(),
        cResp,
        m ->
            clientResponse(
                "DeleteResponse",
                m.getVersion(),
                m.getSuite(),
                m.getResultsList(),
                m.getValidationBundle()));
    add(
        StatusResponse.class,
        StatusResponse.parser(),
        cResp,
        m -> {
          versioned("StatusResponse", m.getVersion(), m.getSuite());
          maxUtf8("StatusResponse.fleet_id", m.getFleetId(), WireLimits.MAX_FLEET_ID);
          range("StatusResponse.members", m.getMembers(), 0, WireLimits.MAX_MEMBERS);
          range("StatusResponse.threshold", m.getThreshold(), 0, WireLimits.MAX_MEMBERS);
          if (m.getReachableMembersCount() > WireLimits.MAX_MEMBERS) {
            fail(
                "StatusResponse.reachable_members has more than "
                    + WireLimits.MAX_MEMBERS
                    + " entries");
          }
          for (int i : m.getReachableMembersList()) {
            range("StatusResponse.reachable_members", i, 1, WireLimits.MAX_MEMBERS);
          }
          range("StatusResponse.leader", m.getLeader(), 0, WireLimits.MAX_MEMBERS);
          maxLen(
              "StatusResponse.validation_bundle",
              m.getValidationBundle(),
              WireLimits.MAX_VALIDATION_BUNDLE);
        });

    add(
        WsRequest.class,
        WsRequest.parser(),
        WireLimits.MAX_WS_REQUEST,
        m -> {
          frameVersion("WsRequest", m.getFrameVersion());
          maxUtf8("WsRequest.method", m.getMethod(), WireLimits.MAX_WS_METHOD);
          maxUtf8("WsRequest.token", m.getToken(), WireLimits.MAX_TOKEN);
          maxLen("WsRequest.body", m.getBody(), WireLimits.MAX_CLIENT_REQUEST);
        });
    add(
        WsResponse.class,
        WsResponse.parser(),
        WireLimits.MAX_WS_RESPONSE,
        m -> {
          frameVersion("WsResponse", m.getFrameVersion());
          maxUtf8("WsResponse.method", m.getMethod(), WireLimits.MAX_WS_METHOD);
          switch (m.getOutcomeCase()) {
            case BODY:
              maxLen("WsResponse.body", m.getBody(), WireLimits.MAX_CLIENT_RESPONSE);
              break;
            case ERROR:
              maxUtf8("WsResponse.error.message", m.getError().getMessage(), WireLimits.MAX_REASON);
              break;
            default:
              fail("WsResponse has neither body nor error");
          }
        });

    add(
        MemberRequest.class,
        MemberRequest.parser(),
        WireLimits.MAX_MEMBER_REQUEST,
        m -> {
          versioned("MemberRequest", m.getVersion(), m.getSuite());
          userId("MemberRequest.user_id", m.getUserId());
          if (!m.hasRequest()) {
            fail("MemberRequest.request is missing");
          }
          sealedRequest("MemberRequest.request", m.getRequest());
        });
    add(
        MemberResponse.class,
        MemberResponse.parser(),
        WireLimits.MAX_MEMBER_RESPONSE,
        m -> {
          versioned("MemberResponse", m.getVersion(), m.getSuite());
          if (!m.hasAnswer()) {
            fail("MemberResponse.answer is missing");
          }
          sealedAnswer("MemberResponse.answer", m.getAnswer());
        });
    add(
        SealedRequest.class,
        SealedRequest.parser(),
        WireLimits.MAX_SEALED_REQUEST,
        m -> sealedRequest("SealedRequest", m));
    add(
        SealedAnswer.class,
        SealedAnswer.parser(),
        WireLimits.MAX_SEALED_ANSWER,
        m -> sealedAnswer("SealedAnswer", m));

    add(
        MemberRecord.class,
        MemberRecord.parser(),
        WireLimits.MAX_MEMBER_RECORD,
        m -> {
          if (m.getFormat() != WireVersion.RECORD_FORMAT_1) {
            throw new dev.fleetvault.protocol.wire.WireFormatException(
                UNKNOWN_VERSION,
                "MemberRecord.format is "
                    + m.getFormat()
                    + ", this code reads format "
                    + WireVersion.RECORD_FORMAT_1);
          }
          suite("MemberRecord", m.getSuite());
          userId("MemberRecord.user_id", m.getUserId());
          range("MemberRecord.member", m.getMember(), 1, m.getMembers());
          recordVersion("MemberRecord.record_version", m.getRecordVersion());
          sharing(
              "MemberRecord",
              m.getThreshold(),
              m.getMembers(),
              m.getGuessLimit(),
              m.getPinParams());
          exact("MemberRecord.registration_salt", m.getRegistrationSalt(), 32);
          exact("MemberRecord.oprf_key_share", m.getOprfKeyShare(), 32);
          commitments("MemberRecord.commitments", m.getCommitmentsList(), m.getMembers());
          exact("MemberRecord.masked_data_share", m.getMaskedDataShare(), 32);
          exact("MemberRecord.unlock_tag", m.getUnlockTag(), 32);
          secretCiphertext("MemberRecord.secret_ciphertext", m.getSecretCiphertext());
          passkeyPresence("MemberRecord", m.getPinParams(), m.hasPasskey());
          if (m.hasPasskey()) {
            PasskeyRecord k = m.getPasskey();
            between(
                "MemberRecord.passkey.credential_id", k.getCredentialId(), 1, MAX_CREDENTIAL_ID);
            between(
                "MemberRecord.passkey.cose_public_key", k.getCosePublicKey(), 1, MAX_PUBLIC_KEY);
            rpId("MemberRecord.passkey.rp_id", k.getRpId());
            range(
                "MemberRecord.passkey.allowed_origins count",
                k.getAllowedOriginsCount(),
                1,
                MAX_ORIGINS);
            for (String o : k.getAllowedOriginsList()) {
              if (o.isEmpty()) {
                fail("MemberRecord.passkey.allowed_origins holds an empty origin");
              }
              maxUtf8("MemberRecord.passkey.allowed_origins", o, MAX_ORIGIN);
            }
            between("MemberRecord.passkey.user_handle", k.getUserHandle(), 1, MAX_USER_HANDLE);
          }
        });

    // Plaintexts inside envelopes (no version/suite: the envelope binds them).
    int p = WireLimits.MAX_PAYLOAD;
    int r = WireLimits.MAX_REPLY;
    add(Register1Payload.class, Register1Payload.parser(), p, m -> {});
    add(
        Register1Reply.class,
        Register1Reply.parser(),
        r,
        m -> {
          status("Register1Reply", m.getStatus());
          range(
              "Register1Reply.current_version",
              m.getCurrentVersion(),
              0,
              WireLimits.MAX_RECORD_VERSION);
        });
    add(
        Register2Payload.class,
        Register2Payload.parser(),
        p,
        m -> {
          recordVersion("Register2Payload.record_version", m.getRecordVersion());
          sharing(
              "Register2Payload",
              m.getThreshold(),
              m.getMembers(),
              m.getGuessLimit(),
              m.getPinParams());
          exact("Register2Payload.registration_salt", m.getRegistrationSalt(), 32);
          exact("Register2Payload.oprf_key_share", m.getOprfKeyShare(), 32);
          commitments("Register2Payload.commitments", m.getCommitmentsList(), m.getMembers());
          exact("Register2Payload.masked_data_share", m.getMaskedDataShare(), 32);
          exact("Register2Payload.unlock_tag", m.getUnlockTag(), 32);
          secretCiphertext("Register2Payload.secret_ciphertext", m.getSecretCiphertext());
          passkeyPresence("Register2Payload", m.getPinParams(), m.hasPasskey());
          if (m.hasPasskey()) {
            PasskeyCredential c = m.getPasskey();
            between(
                "Register2Payload.passkey.credential_id",
                c.getCredentialId(),
                1,
                MAX_CREDENTIAL_ID);
            maxLen(
                "Register2Payload.passkey.cose_public_key", c.getCosePublicKey(), MAX_PUBLIC_KEY);
            maxLen(
                "Register2Payload.passkey.spki_public_key", c.getSpkiPublicKey(), MAX_PUBLIC_KEY);
            if (c.getCosePublicKey().isEmpty() == c.getSpkiPublicKey().isEmpty()) {
              fail(
                  "Register2Payload.passkey: exactly one of cose_public_key and spki_public_key must be set");
            }
            if (c.getSpkiPublicKey().isEmpty()
                ? c.getPublicKeyAlgorithm() != 0
                : !Set.of(-7, -8, -257).contains(c.getPublicKeyAlgorithm())) {
              fail(
                  "Register2Payload.passkey.public_key_algorithm must be -7, -8 or -257 with spki_public_key,"
                      + " and 0 otherwise");
            }
            between("Register2Payload.passkey.user_handle", c.getUserHandle(), 1, MAX_USER_HANDLE);
          }
        });
    add(
        Register2Reply.class,
        Register2Reply.parser(),
        r,
        m -> {
          status("Register2Reply", m.getStatus());
          range(
              "Register2Reply.current_version",
              m.getCurrentVersion(),
              0,
              WireLimits.MAX_RECORD_VERSION);
        });
    add(
        Recover0Payload.class,
        Recover0Payload.parser(),
        p,
        m -> {
          if (!m.getAttemptId().isEmpty()) {
            exact("Recover0Payload.attempt_id", m.getAttemptId(), 32);
          }
        });
    add(
        Recover0Reply.class,
        Recover0Reply.parser(),
        r,
        m -> {
          status("Recover0Reply", m.getStatus());
          if (m.getAttemptStatus()
                  != dev.fleetvault.protocol.wire.AttemptStatus.ATTEMPT_STATUS_UNSPECIFIED
              && m.getStatus() != ReplyStatus.REPLY_STATUS_OK
              && m.getStatus() != ReplyStatus.REPLY_STATUS_NO_GUESSES) {
            fail("Recover0Reply.attempt_status goes only with status OK or NO_GUESSES");
          }
          if (m.getStatus() == ReplyStatus.REPLY_STATUS_OK) {
            recordVersion("Recover0Reply.record_version", m.getRecordVersion());
            positive("Recover0Reply.generation", m.getGeneration());
            sharing(
                "Recover0Reply",
                m.getThreshold(),
                m.getMembers(),
                m.getGuessLimit(),
                m.getPinParams());
            range("Recover0Reply.guesses_remaining", m.getGuessesRemaining(), 0, m.getGuessLimit());
            exact("Recover0Reply.registration_salt", m.getRegistrationSalt(), 32);
            commitments("Recover0Reply.commitments", m.getCommitmentsList(), m.getMembers());
            if (m.getPasskeyCredentialId().isEmpty() != m.getPasskeyRpId().isEmpty()) {
              fail("Recover0Reply: passkey_credential_id and passkey_rp_id go together");
            }
            maxLen(
                "Recover0Reply.passkey_credential_id",
                m.getPasskeyCredentialId(),
                MAX_CREDENTIAL_ID);
            maxUtf8("Recover0Reply.passkey_rp_id", m.getPasskeyRpId(), MAX_RP_ID);
          }
        });
    add(
        Recover1Payload.class,
        Recover1Payload.parser(),
        p,
        m -> {
          recordVersion("Recover1Payload.record_version", m.getRecordVersion());
          positive("Recover1Payload.generation", m.getGeneration());
          exact("Recover1Payload.blinded_element", m.getBlindedElement(), 33);
          exact("Recover1Payload.nonce", m.getNonce(), 32);
          if (m.hasPasskeyAssertion()) {
            PasskeyAssertion a = m.getPasskeyAssertion();
            between(
                "Recover1Payload.passkey_assertion.credential_id",
                a.getCredentialId(),
                1,
                MAX_CREDENTIAL_ID);
            between(
                "Recover1Payload.passkey_assertion.authenticator_data",
                a.getAuthenticatorData(),
                37,
                256);
            between(
                "Recover1Payload.passkey_assertion.client_data_json",
                a.getClientDataJson(),
                1,
                1024);
            between("Recover1Payload.passkey_assertion.signature", a.getSignature(), 1, 256);
            maxLen(
                "Recover1Payload.passkey_assertion.user_handle",
                a.getUserHandle(),
                MAX_USER_HANDLE);
          }
        });
    add(
        Recover1Reply.class,
        Recover1Reply.parser(),
        r,
        m -> {
          status("Recover1Reply", m.getStatus());
          range(
              "Recover1Reply.guesses_remaining",
              m.getGuessesRemaining(),
              0,
              WireLimits.MAX_GUESS_LIMIT);
          if (m.getStatus() == ReplyStatus.REPLY_STATUS_OK) {
            exact("Recover1Reply.evaluated_element", m.getEvaluatedElement(), 33);
            exact("Recover1Reply.proof", m.getProof(), 64);
          }
        });
    add(
        Recover2Payload.class,
        Recover2Payload.parser(),
        p,
        m -> {
          recordVersion("Recover2Payload.record_version", m.getRecordVersion());
          exact("Recover2Payload.attempt_id", m.getAttemptId(), 32);
          exact("Recover2Payload.unlock_tag", m.getUnlockTag(), 32);
        });
    add(
        Recover2Reply.class,
        Recover2Reply.parser(),
        r,
        m -> {
          status("Recover2Reply", m.getStatus());
          range(
              "Recover2Reply.guesses_remaining",
              m.getGuessesRemaining(),
              0,
              WireLimits.MAX_GUESS_LIMIT);
          if (m.getStatus() == ReplyStatus.REPLY_STATUS_OK) {
            exact("Recover2Reply.masked_data_share", m.getMaskedDataShare(), 32);
            secretCiphertext("Recover2Reply.secret_ciphertext", m.getSecretCiphertext());
          }
        });
    add(DeletePayload.class, DeletePayload.parser(), p, m -> {});
    add(DeleteReply.class, DeleteReply.parser(), r, m -> status("DeleteReply", m.getStatus()));
  }

  private WireRules() {}

  private static void passkeyPresence(String type, String pinParams, boolean hasPasskey) {
    if (PASSKEY_PIN_PARAMS.equals(pinParams) != hasPasskey) {
      fail(type + ".passkey must be present exactly when pin_params is " + PASSKEY_PIN_PARAMS);
    }
  }

  private static void rpId(String field, String rpId) {
    if (rpId.isEmpty()) {
      fail(field + " is empty");
    }
    maxUtf8(field, rpId, MAX_RP_ID);
  }

  /** The rule for {@code type}; throws IllegalArgumentException for a type that is not ours. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> Rule<T> rule(Class<T> type) {
    Rule<?> rule = RULES.get(type);
    if (rule == null) {
      throw new IllegalArgumentException(type.getName() + " is not a fleetvault.v1 wire message");
    }
    return (Rule<T>) rule;
  }

  // ---- rules ----

  private static void clientRequest(
      String type, int version, int suite, ByteString userId, List<SealedRequest> reqs) {
    versioned(type, version, suite);
    userId(type + ".user_id", userId);
    if (reqs.isEmpty() || reqs.size() > WireLimits.MAX_MEMBERS) {
      fail(
          type
              + ".requests must hold 1.."
              + WireLimits.MAX_MEMBERS
              + " envelopes, got "
              + reqs.size());
    }
    Set<Integer> seen = new HashSet<>();
    for (SealedRequest r : reqs) {
      sealedRequest(type + ".requests", r);
      if (!seen.add(r.getMember())) {
        fail(type + ".requests holds two envelopes for member " + r.getMember());
      }
    }
  }

  private static void clientResponse(
      String type, int version, int suite, List<MemberResult> results, ByteString bundle) {
    versioned(type, version, suite);
    if (results.size() > WireLimits.MAX_MEMBERS) {
      fail(type + ".results holds more than " + WireLimits.MAX_MEMBERS + " entries");
    }
    Set<Integer> seen = new HashSet<>();
    for (MemberResult mr : results) {
      range(type + ".results.member", mr.getMember(), 1, WireLimits.MAX_MEMBERS);
      if (!seen.add(mr.getMember())) {
        fail(type + ".results holds two results for member " + mr.getMember());
      }
      switch (mr.getOutcomeCase()) {
        case ANSWER:
          sealedAnswer(type + ".results.answer", mr.getAnswer());
          if (mr.getAnswer().getMember() != mr.getMember()) {
            fail(type + ".results: answer.member differs from result.member");
          }
          break;
        case UNAVAILABLE:
          maxUtf8(
              type + ".results.unavailable.reason",
              mr.getUnavailable().getReason(),
              WireLimits.MAX_REASON);
          break;
        default:
          fail(type + ".results.outcome is missing");
      }
    }
    maxLen(type + ".validation_bundle", bundle, WireLimits.MAX_VALIDATION_BUNDLE);
  }

  private static void sealedRequest(String field, SealedRequest r) {
    range(field + ".member", r.getMember(), 1, WireLimits.MAX_MEMBERS);
    exact(field + ".enc", r.getEnc(), WireLimits.HPKE_ENC);
    between(
        field + ".ciphertext",
        r.getCiphertext(),
        WireLimits.AEAD_TAG,
        WireLimits.MAX_PAYLOAD + WireLimits.AEAD_TAG);
  }

  private static void sealedAnswer(String field, SealedAnswer a) {
    range(field + ".member", a.getMember(), 1, WireLimits.MAX_MEMBERS);
    exact(field + ".nonce", a.getNonce(), WireLimits.ANSWER_NONCE);
    between(
        field + ".ciphertext",
        a.getCiphertext(),
        WireLimits.AEAD_TAG,
        WireLimits.MAX_REPLY + WireLimits.AEAD_TAG);
  }

  private static void sharing(String type, int t, int n, int guessLimit, String pinParams) {
    range(type + ".members", n, 1, WireLimits.MAX_MEMBERS);
    range(type + ".threshold", t, 1, n);
    range(type + ".guess_limit", guessLimit, 1, WireLimits.MAX_GUESS_LIMIT);
    if (pinParams.isEmpty()) {
      fail(type + ".pin_params is empty");
    }
    maxUtf8(type + ".pin_params", pinParams, WireLimits.MAX_PIN_PARAMS_ID);
  }

  private static void commitments(String field, List<ByteString> list, int n) {
    if (list.size() != n) {
      fail(field + " must hold exactly members = " + n + " points, got " + list.size());
    }
    for (ByteString b : list) {
      exact(field, b, 33);
    }
  }

  private static void secretCiphertext(String field, ByteString b) {
    between(field, b, WireLimits.MIN_SECRET_CIPHERTEXT, WireLimits.MAX_SECRET_CIPHERTEXT);
  }

  private static void status(String type, ReplyStatus s) {
    if (s == ReplyStatus.REPLY_STATUS_UNSPECIFIED || s == ReplyStatus.UNRECOGNIZED) {
      fail(type + ".status is unspecified or unknown");
    }
  }

  private static void versioned(String type, int version, int suite) {
    WireVersion.check(type, version, suite);
  }

  private static void suite(String type, int suite) {
    WireVersion.checkSuite(type, suite);
  }

  private static void frameVersion(String type, int version) {
    if (version != WireVersion.FRAME_VERSION_1) {
      throw new WireFormatException(
          UNKNOWN_VERSION,
          type
              + ".frame_version is "
              + version
              + ", this code speaks frame version "
              + WireVersion.FRAME_VERSION_1);
    }
  }

  private static void userId(String field, ByteString b) {
    between(field, b, 1, WireLimits.MAX_USER_ID);
  }

  private static void positive(String field, long v) {
    if (v <= 0) {
      fail(field + " must be positive");
    }
  }

  private static void recordVersion(String field, long v) {
    range(field, v, 1, WireLimits.MAX_RECORD_VERSION);
  }

  private static void range(String field, long v, long min, long max) {
    if (v < min || v > max) {
      fail(field + " is " + v + ", must be in " + min + ".." + max);
    }
  }

  private static void exact(String field, ByteString b, int len) {
    if (b.size() != len) {
      fail(field + " must be " + len + " bytes, got " + b.size());
    }
  }

  private static void between(String field, ByteString b, int min, int max) {
    if (b.size() < min || b.size() > max) {
      fail(field + " must be " + min + ".." + max + " bytes, got " + b.size());
    }
  }

  private static void maxLen(String field, ByteString b, int max) {
    if (b.size() > max) {
      fail(field + " must be at most " + max + " bytes, got " + b.size());
    }
  }

  private static void maxUtf8(String field, String s, int max) {
    int len = s.getBytes(StandardCharsets.UTF_8).length;
    if (len > max) {
      fail(field + " must be at most " + max + " UTF-8 bytes, got " + len);
    }
  }

  private static void fail(String message) {
    throw new WireFormatException(INVALID_FIELD, message);
  }

  private static void noUnknownFields(Message m, String path) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      throw new WireFormatException(
          UNKNOWN_FIELD,
          path
              + " has fields "
              + m.getUnknownFields().asMap().keySet()
              + " that version 1 does not define");
    }
    // Only message and enum fields can hide something unknown: walk those (the per-type list is
    // computed once) instead of getAllFields(), which builds a sorted map of every set field.
    for (FieldDescriptor fd : nested(m.getDescriptorForType())) {
      if (fd.isRepeated()) {
        int n = m.getRepeatedFieldCount(fd);
        for (int i = 0; i < n; i++) {
          check(fd, m.getRepeatedField(fd, i), path);
        }
      } else if (m.hasField(fd)) {
        check(fd, m.getField(fd), path);
      }
    }
  }

  private static void check(FieldDescriptor fd, Object value, String path) {
    if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      noUnknownFields((Message) value, path + "." + fd.getName());
    } else if (((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getIndex() < 0
        // an ErrorCode a receiver does not know reads as ERROR_CODE_INTERNAL (ErrorCodes.of)
        && !fd.getEnumType().getName().equals("ErrorCode")) {
      throw new WireFormatException(
          UNKNOWN_FIELD, path + "." + fd.getName() + " has an unknown enum value");
    }
  }

  /** The message- and enum-typed fields of each message type. */
  private static final java.util.concurrent.ConcurrentMap<
          com.google.protobuf.Descriptors.Descriptor, List<FieldDescriptor>>
      NESTED_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private static final java.util.function.Function<
          com.google.protobuf.Descriptors.Descriptor, List<FieldDescriptor>>
      NESTED_OF =
          d ->
              d.getFields().stream()
                  .filter(
                      f ->
                          f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                              || f.getJavaType() == FieldDescriptor.JavaType.ENUM)
                  .toList();

  private static List<FieldDescriptor> nested(com.google.protobuf.Descriptors.Descriptor d) {
    return NESTED_CACHE.computeIfAbsent(d, NESTED_OF);
  }
}
