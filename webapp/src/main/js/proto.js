// The protobuf messages of fleetvault/v1 (PROTOCOL.md Appendix A) as small schemas, encoded and decoded with
// @bufbuild/protobuf's wire reader and writer. The decoder is strict, like the reference WireCodec: unknown
// fields, wrong wire types, invalid UTF-8 and oversized input are refused.
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

// field: [number, name, type, repeated?]; type is a scalar name or a schema object
const S = (fields) => ({ fields: fields.map(([no, name, type, rep]) => ({ no, name, type, rep: !!rep })) });

export const SealedRequest = S([[1, 'member', 'uint32'], [2, 'enc', 'bytes'], [3, 'ciphertext', 'bytes']]);
export const SealedAnswer = S([[1, 'member', 'uint32'], [2, 'nonce', 'bytes'], [3, 'ciphertext', 'bytes']]);
export const MemberUnavailable = S([[1, 'reason', 'string']]);
export const MemberResult = S([[1, 'member', 'uint32'], [2, 'answer', SealedAnswer], [3, 'unavailable', MemberUnavailable]]);

/** Every client request of vault.proto has this shape (Register1Request ... DeleteRequest). */
export const PhaseRequest = S([
  [1, 'version', 'uint32'], [2, 'suite', 'uint32'], [3, 'user_id', 'bytes'], [4, 'requests', SealedRequest, true],
  [15, 'known_bundle_epoch', 'uint64'], [16, 'known_tree_size', 'uint64'],
]);
export const PhaseResponse = S([
  [1, 'version', 'uint32'], [2, 'suite', 'uint32'], [3, 'results', MemberResult, true], [15, 'validation_bundle', 'bytes'],
]);
export const StatusRequest = S([[1, 'version', 'uint32'], [2, 'suite', 'uint32'], [15, 'known_bundle_epoch', 'uint64'],
  [16, 'known_tree_size', 'uint64']]);
export const StatusResponse = S([
  [1, 'version', 'uint32'], [2, 'suite', 'uint32'], [3, 'fleet_id', 'string'], [4, 'members', 'uint32'],
  [5, 'threshold', 'uint32'], [6, 'reachable_members', 'uint32', true], [7, 'majority_reachable', 'bool'],
  [8, 'leader', 'uint32'], [15, 'validation_bundle', 'bytes'],
]);

export const WsRequest = S([[1, 'frame_version', 'uint32'], [2, 'id', 'uint64'], [3, 'method', 'string'],
  [4, 'token', 'string'], [5, 'body', 'bytes']]);
export const WsError = S([[1, 'code', 'uint32'], [2, 'message', 'string']]);
export const WsResponse = S([[1, 'frame_version', 'uint32'], [2, 'id', 'uint64'], [3, 'method', 'string'],
  [4, 'body', 'bytes'], [5, 'error', WsError]]);

// payloads.proto (sealed plaintexts)
export const Empty = S([]);
export const PasskeyCredential = S([[1, 'credential_id', 'bytes'], [2, 'cose_public_key', 'bytes'], [3, 'user_handle', 'bytes'],
  [4, 'spki_public_key', 'bytes'], [5, 'public_key_algorithm', 'sint32']]);
export const PasskeyAssertion = S([[1, 'credential_id', 'bytes'], [2, 'authenticator_data', 'bytes'],
  [3, 'client_data_json', 'bytes'], [4, 'signature', 'bytes'], [5, 'user_handle', 'bytes']]);
export const Register1Reply = S([[1, 'status', 'uint32'], [2, 'current_version', 'uint64']]);
export const Register2Payload = S([
  [1, 'record_version', 'uint64'], [2, 'threshold', 'uint32'], [3, 'members', 'uint32'], [4, 'guess_limit', 'uint32'],
  [5, 'pin_params', 'string'], [6, 'registration_salt', 'bytes'], [7, 'oprf_key_share', 'bytes'],
  [8, 'commitments', 'bytes', true], [9, 'masked_data_share', 'bytes'], [10, 'unlock_tag', 'bytes'],
  [11, 'secret_ciphertext', 'bytes'], [12, 'passkey', PasskeyCredential],
]);
export const Register2Reply = S([[1, 'status', 'uint32'], [2, 'current_version', 'uint64']]);
export const Recover0Reply = S([
  [1, 'status', 'uint32'], [2, 'record_version', 'uint64'], [3, 'threshold', 'uint32'], [4, 'members', 'uint32'],
  [5, 'guess_limit', 'uint32'], [6, 'guesses_remaining', 'uint32'], [7, 'pin_params', 'string'],
  [8, 'registration_salt', 'bytes'], [9, 'commitments', 'bytes', true], [10, 'generation', 'uint64'],
  [11, 'passkey_credential_id', 'bytes'], [12, 'passkey_rp_id', 'string'],
]);
export const Recover1Payload = S([[1, 'record_version', 'uint64'], [2, 'blinded_element', 'bytes'], [3, 'nonce', 'bytes'],
  [4, 'generation', 'uint64'], [5, 'passkey_assertion', PasskeyAssertion]]);
export const Recover1Reply = S([[1, 'status', 'uint32'], [2, 'evaluated_element', 'bytes'], [3, 'proof', 'bytes'],
  [4, 'guesses_remaining', 'uint32']]);
export const Recover2Payload = S([[1, 'record_version', 'uint64'], [2, 'attempt_id', 'bytes'], [3, 'unlock_tag', 'bytes']]);
export const Recover2Reply = S([[1, 'status', 'uint32'], [2, 'masked_data_share', 'bytes'], [3, 'secret_ciphertext', 'bytes'],
  [4, 'guesses_remaining', 'uint32']]);
export const DeleteReply = S([[1, 'status', 'uint32']]);

export const ReplyStatus = Object.freeze({ OK: 1, NOT_REGISTERED: 2, NO_GUESSES: 3, VERSION_MISMATCH: 4, WRONG_TAG: 5,
  STALE_VERSION: 6, PASSKEY_REFUSED: 7 });

export const Phase = Object.freeze({ REGISTER1: 1, REGISTER2: 2, RECOVER0: 3, RECOVER1: 4, RECOVER2: 5, DELETE: 6 });

/** ErrorCode wire names by number (PROTOCOL.md section 16); an unknown number reads as "internal". */
export const ERROR_NAMES = ['unspecified', 'unauthenticated', 'permission_denied', 'bad_request', 'unsupported_version',
  'too_large', 'rate_limited', 'hsm_busy', 'replayed', 'failed_precondition', 'no_majority', 'timeout', 'not_ready',
  'unknown_method', 'internal'];

/** Adds a field to a schema (for protocol extensions merged later). */
export function extend(schema, no, name, type, rep) {
  schema.fields.push({ no, name, type, rep: !!rep });
  return schema;
}

/** Serializes {@code value} (a plain object) with {@code schema}; defaults are omitted, fields in number order. */
export function encode(schema, value) {
  const w = new BinaryWriter();
  writeMessage(w, schema, value);
  return w.finish();
}

function writeMessage(w, schema, value) {
  const fields = [...schema.fields].sort((a, b) => a.no - b.no);
  for (const f of fields) {
    const v = value[f.name];
    if (v === undefined || v === null) continue;
    const items = f.rep ? v : [v];
    if (f.rep && typeof f.type === 'string' && f.type !== 'bytes' && f.type !== 'string') {
      if (items.length === 0) continue; // packed repeated scalar
      w.tag(f.no, WireType.LengthDelimited).fork();
      for (const x of items) writeScalar(w, f.type, x);
      w.join();
      continue;
    }
    for (const x of items) {
      if (typeof f.type === 'object') {
        w.tag(f.no, WireType.LengthDelimited).fork();
        writeMessage(w, f.type, x);
        w.join();
      } else if (f.type === 'bytes' || f.type === 'string') {
        if (!f.rep && x.length === 0) continue;
        w.tag(f.no, WireType.LengthDelimited);
        if (f.type === 'bytes') w.bytes(x); else w.string(x);
      } else {
        if (!f.rep && (x === 0 || x === 0n || x === false)) continue;
        w.tag(f.no, WireType.Varint);
        writeScalar(w, f.type, x);
      }
    }
  }
}

function writeScalar(w, type, x) {
  if (type === 'uint32') w.uint32(x);
  else if (type === 'uint64') w.uint64(BigInt(x));
  else if (type === 'bool') w.bool(x);
  else if (type === 'sint32') w.sint32(x);
  else throw new Error('unknown type ' + type);
}

/** Parses {@code bytes} with {@code schema}, refusing unknown fields and anything malformed. */
export function decode(schema, bytes, limit = 163840 + 512) {
  if (bytes.length > limit) throw new Error('message over ' + limit + ' bytes');
  return readMessage(new BinaryReader(bytes), bytes.length, schema, 0);
}

function defaults(schema) {
  const o = {};
  for (const f of schema.fields) {
    if (f.rep) o[f.name] = [];
    else if (typeof f.type === 'object') o[f.name] = null;
    else if (f.type === 'bytes') o[f.name] = new Uint8Array(0);
    else if (f.type === 'string') o[f.name] = '';
    else if (f.type === 'bool') o[f.name] = false;
    else o[f.name] = 0;
  }
  return o;
}

function readMessage(r, end, schema, depth) {
  if (depth > 8) throw new Error('message nested too deeply');
  const out = defaults(schema);
  while (r.pos < end) {
    const [no, wt] = r.tag();
    const f = schema.fields.find((x) => x.no === no);
    if (!f) throw new Error('unknown field ' + no);
    let v;
    if (typeof f.type === 'object') {
      if (wt !== WireType.LengthDelimited) throw new Error('field ' + f.name + ': wrong wire type');
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) throw new Error('field ' + f.name + ': truncated');
      v = readMessage(r, stop, f.type, depth + 1);
      if (r.pos !== stop) throw new Error('field ' + f.name + ': bad length');
    } else if (f.type === 'bytes' || f.type === 'string') {
      if (wt !== WireType.LengthDelimited) throw new Error('field ' + f.name + ': wrong wire type');
      v = f.type === 'bytes' ? r.bytes().slice() : r.string(true);
    } else if (f.rep && wt === WireType.LengthDelimited) {
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) throw new Error('field ' + f.name + ': truncated');
      while (r.pos < stop) out[f.name].push(readScalar(r, f.type));
      if (r.pos !== stop) throw new Error('field ' + f.name + ': bad length');
      continue;
    } else {
      if (wt !== WireType.Varint) throw new Error('field ' + f.name + ': wrong wire type');
      v = readScalar(r, f.type);
    }
    if (f.rep) out[f.name].push(v); else out[f.name] = v;
    out.$present = out.$present || new Set();
    out.$present.add(f.name);
  }
  if (r.pos !== end) throw new Error('truncated message');
  return out;
}

function readScalar(r, type) {
  if (type === 'uint32') return r.uint32();
  if (type === 'bool') return r.bool();
  if (type === 'sint32') return r.sint32();
  if (type === 'uint64') {
    const v = BigInt(r.uint64());
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('integer above 2^53 - 1');
    return Number(v);
  }
  throw new Error('unknown type ' + type);
}
