// Validation-bundle verification, step for step as the reference BundleVerifier (PROTOCOL.md section 13.6):
// artifact digest, signer signature (Ed25519), operator counter-signature (ECDSA P-256), inclusion proof against
// the checkpoint, checkpoint signature (and witness quorum), consistency with the stored checkpoint, epoch
// monotonicity, validity window. The first failing check is reported by its name.
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, ctEqual, fromB64, fromHex, fromUtf8, i2osp, toB64, toHex, utf8 } from './bytes.js';

export const NAMESPACE = 'fleetvault.fleet_keys.v1';
const CIPHERSUITE = 0x0f01;
const EMPTY_ROOT = sha256(new Uint8Array(0));

/** A bundle that failed a check; {@code reason} is the reference Rejection name. */
export class BundleRejected extends Error {
  constructor(reason, detail) {
    super(reason + ': ' + detail);
    this.reason = reason;
  }
}

const reject = (reason, detail) => {
  throw new BundleRejected(reason, detail);
};

// ---------------------------------------------------------------- canonical JSON (13.1)

function canonString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c >= 0xd800 && c <= 0xdfff) throw new Error('unpaired surrogate');
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 8) out += '\\b';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 12) out += '\\f';
    else if (c === 13) out += '\\r';
    else if (c < 0x20) out += '\\u00' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** The canonical encoding of a parsed JSON value (sorted keys, no whitespace, integers only). */
export function canonicalJson(v) {
  if (v === null || v === true || v === false) return String(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new Error('not a canonical integer');
    return String(v);
  }
  if (typeof v === 'string') return canonString(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => canonString(k) + ':' + canonicalJson(v[k])).join(',') + '}';
}

/** Parses JSON that must already be in canonical form (byte-exact), as the artifact must. */
function parseCanonical(bytes) {
  const text = fromUtf8(bytes);
  const v = JSON.parse(text);
  if (canonicalJson(v) !== text) throw new Error('not canonical JSON');
  return v;
}

// ---------------------------------------------------------------- artifact (13.2)

const ID = /^[a-z0-9._-]{1,64}$/;

function point65(b64, what) {
  const b = fromB64(b64);
  if (b.length !== 65 || b[0] !== 4) throw new Error(what + ' is not a 65-byte uncompressed point');
  p256.Point.fromBytes(b).assertValidity();
  return b;
}

/** Parses and checks a canonical fleet artifact. */
export function parseArtifact(bytes) {
  const a = parseCanonical(bytes);
  const keys = ['epoch', 'evidence_digest', 'fleet_id', 'members', 'namespace', 'not_after', 'not_before', 'threshold'];
  if (typeof a !== 'object' || Array.isArray(a) || canonicalJson(Object.keys(a).sort()) !== canonicalJson(keys)) {
    throw new Error('artifact members are not exactly ' + keys.join(', '));
  }
  if (a.namespace !== NAMESPACE) throw new Error('artifact namespace is ' + a.namespace);
  if (typeof a.fleet_id !== 'string' || !ID.test(a.fleet_id)) throw new Error('bad fleet_id');
  if (!Number.isSafeInteger(a.epoch) || a.epoch < 1) throw new Error('bad epoch');
  if (!Array.isArray(a.members) || a.members.length < 1 || a.members.length > 255) throw new Error('bad members');
  if (!Number.isSafeInteger(a.threshold) || a.threshold < 1 || a.threshold > a.members.length) {
    throw new Error('bad threshold');
  }
  if (!Number.isSafeInteger(a.not_before) || !Number.isSafeInteger(a.not_after) || a.not_before >= a.not_after) {
    throw new Error('bad validity window');
  }
  if (typeof a.evidence_digest !== 'string' || !(a.evidence_digest === '' || /^[0-9a-f]{64}$/.test(a.evidence_digest))) {
    throw new Error('bad evidence_digest');
  }
  const members = a.members.map((m, idx) => {
    const mk = ['data_center', 'hpke_public_key', 'id', 'role', 'signing_public_key'];
    if (typeof m !== 'object' || canonicalJson(Object.keys(m).sort()) !== canonicalJson(mk)) throw new Error('bad member');
    if (!ID.test(m.id) || !ID.test(m.data_center) || m.role !== 'member') throw new Error('bad member ' + idx);
    if (idx > 0 && !(a.members[idx - 1].id < m.id)) throw new Error('members not sorted by id or not unique');
    return { index: idx + 1, id: m.id, dataCenter: m.data_center, hpkePublicKey: point65(m.hpke_public_key, 'hpke key'),
      signingPublicKey: point65(m.signing_public_key, 'signing key') };
  });
  return { fleetId: a.fleet_id, epoch: a.epoch, threshold: a.threshold, members, notBefore: a.not_before,
    notAfter: a.not_after, evidenceDigest: a.evidence_digest };
}

// ---------------------------------------------------------------- signature message (13.3)

export function signatureMessage(namespace, timestamp, epoch, digest) {
  const ns = utf8(namespace);
  if (ns.length < 1 || ns.length > 255 || digest.length !== 32) throw new Error('bad signature message fields');
  return concat(utf8('fleetvault/signature-message/v1'), new Uint8Array([0]), i2osp(CIPHERSUITE, 2),
    new Uint8Array([ns.length]), ns, i2osp(timestamp, 8), i2osp(epoch, 8), new Uint8Array([0x20]), digest);
}

// ---------------------------------------------------------------- Merkle proofs (RFC 9162 2.1.3, 2.1.4)

export function leafHash(d) {
  return sha256(concat(new Uint8Array([0]), d));
}

function nodeHash(l, r) {
  return sha256(concat(new Uint8Array([1]), l, r));
}

/** The root an inclusion proof implies, or null when the proof has the wrong length. */
export function rootFromInclusion(index, size, leaf, proof) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyConsistency(size1, size2, root1, root2, proof) {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && ctEqual(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = proof;
  if (Number.isInteger(Math.log2(size1))) path = [root1, ...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && ctEqual(fr, root1) && ctEqual(sr, root2);
}

// ---------------------------------------------------------------- signed notes and checkpoints (13.4)

const DASH = '\u2014 ';

export function parseNote(s) {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) < 0x20 && s[i] !== '\n') throw new Error('note contains a control character');
  }
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw new Error('note has no blank line before its signatures');
  const text = s.substring(0, split + 1);
  const sigs = s.substring(split + 2);
  if (!sigs || !sigs.endsWith('\n')) throw new Error('note has no signature lines');
  const lines = sigs.slice(0, -1).split('\n');
  if (lines.length > 100) throw new Error('too many signatures');
  const signatures = lines.map((line) => {
    if (!line.startsWith(DASH)) throw new Error('signature line does not start with an em dash');
    const rest = line.substring(DASH.length);
    const sp = rest.indexOf(' ');
    if (sp <= 0 || rest.indexOf(' ', sp + 1) >= 0) throw new Error('malformed signature line');
    const raw = fromB64(rest.substring(sp + 1));
    if (raw.length < 5) throw new Error('signature too short');
    return { name: rest.substring(0, sp), keyId: raw.subarray(0, 4), sig: raw.subarray(4) };
  });
  return { text, signatures };
}

export function parseCheckpoint(text) {
  const m = /^([^\n]+)\n(0|[1-9][0-9]{0,15})\n([A-Za-z0-9+/=]+)\n$/.exec(text);
  if (!m) throw new Error('checkpoint is not origin, size and root hash');
  const size = Number(m[2]);
  if (!Number.isSafeInteger(size)) throw new Error('checkpoint size too large');
  const root = fromB64(m[3]);
  if (root.length !== 32) throw new Error('checkpoint root is not 32 bytes');
  return { origin: m[1], size, root };
}

/** Parses a C2SP vkey "<name>+<hex key id>+<b64(type || key)>" (the base64 part may itself contain "+"). */
export function parseVkey(vkey, type) {
  const a = vkey.indexOf('+');
  const b = vkey.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new Error('vkey is not name+id+key');
  const name = vkey.substring(0, a);
  const idHex = vkey.substring(a + 1, b);
  const raw = fromB64(vkey.substring(b + 1));
  if (!/^[0-9a-f]{8}$/.test(idHex) || raw.length !== 33 || raw[0] !== type) throw new Error('bad vkey');
  const key = raw.subarray(1);
  const id = sha256(concat(utf8(name), new Uint8Array([0x0a, type]), key)).subarray(0, 4);
  if (toHex(id) !== idHex) throw new Error('vkey id does not match its key');
  return { name, keyId: id, publicKey: key };
}

function verifyNote(note, key) {
  const msg = utf8(note.text);
  let seen = false;
  for (const s of note.signatures) {
    if (s.name === key.name && ctEqual(s.keyId, key.keyId)) {
      if (!ed25519.verify(s.sig, msg, key.publicKey)) return 'BAD_SIGNATURE';
      seen = true;
    }
  }
  return seen ? 'VERIFIED' : 'NO_SIGNATURE_BY_KEY';
}

function witnessCosigned(note, key) {
  for (const s of note.signatures) {
    if (s.name === key.name && ctEqual(s.keyId, key.keyId) && s.sig.length === 72) {
      let ts = 0n;
      for (const x of s.sig.subarray(0, 8)) ts = (ts << 8n) | BigInt(x);
      const msg = utf8('cosignature/v1\ntime ' + ts.toString() + '\n' + note.text);
      if (ed25519.verify(s.sig.subarray(8), msg, key.publicKey)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- trust file (section 18) and state

const SPKI_P256_PREFIX = fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200');

/** Parses the trust file (the pinned signer vkey and operator key). */
export function parseTrust(json) {
  const t = typeof json === 'string' ? JSON.parse(json) : json;
  const spki = fromB64(t.operator_public_key);
  if (spki.length !== 91 || !ctEqual(spki.subarray(0, 26), SPKI_P256_PREFIX)) {
    throw new Error('operator_public_key is not a P-256 SubjectPublicKeyInfo');
  }
  const operatorKey = spki.subarray(26);
  p256.Point.fromBytes(operatorKey).assertValidity();
  const signer = parseVkey(t.signer_vkey, 0x01);
  const witnesses = (t.witness_vkeys || []).map((w) => parseVkey(w, 0x04));
  const quorum = t.witness_quorum || 0;
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) throw new Error('bad witness_quorum');
  return { signer, operatorKey, witnesses, quorum };
}

export const INITIAL_STATE = Object.freeze({ treeSize: 0, root: EMPTY_ROOT, epoch: 0, digest: new Uint8Array(0) });

export function stateToJson(s) {
  return canonicalJson({ digest: toHex(s.digest), epoch: s.epoch, root_hash: toB64(s.root), tree_size: s.treeSize,
    version: 1 });
}

export function stateFromJson(text) {
  const v = JSON.parse(text);
  if (v.version !== 1) throw new Error('unknown verifier state version');
  return { treeSize: v.tree_size, root: fromB64(v.root_hash), epoch: v.epoch, digest: v.digest ? fromHex(v.digest) : new Uint8Array(0) };
}

// ---------------------------------------------------------------- the verifier

function parseEnvelope(bytes) {
  const env = JSON.parse(fromUtf8(bytes));
  const b = env.bundle;
  if (!b || typeof b !== 'object') throw new Error('no bundle');
  const need = (v, t) => {
    if (typeof v !== t) throw new Error('bundle field has the wrong type');
    return v;
  };
  if (b.version !== 1) throw new Error('bundle version is not 1');
  if (b.ciphersuite !== CIPHERSUITE) throw new Error('unknown ciphersuite');
  return {
    artifact: fromB64(need(b.artifact, 'string')),
    checkpoint: need(b.checkpoint, 'string'),
    digest: fromHex(need(b.digest, 'string')),
    epoch: need(b.epoch, 'number'),
    inclusionProof: need(b.inclusion_proof, 'object').map((h) => {
      const x = fromB64(h);
      if (x.length !== 32) throw new Error('proof hash is not 32 bytes');
      return x;
    }),
    logIndex: need(b.log_index, 'number'),
    namespace: need(b.namespace, 'string'),
    operatorSignature: fromB64(need(b.operator_signature, 'string')),
    signerSignature: fromB64(need(b.signer_signature, 'string')),
    timestamp: need(b.timestamp, 'number'),
    consistencyFrom: need(env.consistency_from ?? 0, 'number'),
    consistencyProof: (env.consistency_proof || []).map((h) => fromB64(h)),
  };
}

/**
 * Verifies an over-the-air envelope against the pinned {@code trust} and the stored {@code state}; returns
 * {artifact, state} (the new state the caller must persist before sealing anything) or throws BundleRejected.
 */
export function verifyBundle(envelopeBytes, trust, state, nowMillis) {
  let b;
  try {
    b = parseEnvelope(envelopeBytes);
  } catch (e) {
    reject('MALFORMED_BUNDLE', e.message);
  }
  // 1. artifact digest
  let artifact;
  try {
    artifact = parseArtifact(b.artifact);
  } catch (e) {
    reject('ARTIFACT_MALFORMED', e.message);
  }
  if (!ctEqual(sha256(b.artifact), b.digest)) reject('DIGEST_MISMATCH', 'SHA-256 of the artifact differs from the signed digest');
  if (b.namespace !== NAMESPACE) reject('WRONG_NAMESPACE', 'signed namespace is ' + b.namespace);
  if (artifact.epoch !== b.epoch) reject('EPOCH_MISMATCH', 'signed epoch ' + b.epoch + ' but artifact epoch ' + artifact.epoch);
  // 2. signer signature
  const message = signatureMessage(b.namespace, b.timestamp, b.epoch, b.digest);
  if (!safeVerify(() => ed25519.verify(b.signerSignature, message, trust.signer.publicKey))) {
    reject('SIGNER_SIGNATURE_INVALID', 'signer signature does not verify under the pinned key');
  }
  // 3. operator counter-signature (ECDSA P-256 SHA-256, DER) over the 64 signer-signature bytes
  if (!safeVerify(() => p256.verify(b.operatorSignature, b.signerSignature, trust.operatorKey,
    { format: 'der', prehash: true, lowS: false }))) {
    reject('OPERATOR_SIGNATURE_INVALID', 'operator counter-signature does not verify under the pinned key');
  }
  // 4. inclusion
  let note;
  let cp;
  try {
    note = parseNote(b.checkpoint);
    cp = parseCheckpoint(note.text);
  } catch (e) {
    reject('CHECKPOINT_MALFORMED', e.message);
  }
  if (b.logIndex >= cp.size) reject('LOG_INDEX_OUT_OF_RANGE', 'log index ' + b.logIndex + ' not below tree size ' + cp.size);
  const implied = rootFromInclusion(b.logIndex, cp.size, leafHash(message), b.inclusionProof);
  if (implied === null) reject('INCLUSION_PROOF_WRONG_LENGTH', 'inclusion proof has the wrong length');
  if (!ctEqual(implied, cp.root)) reject('INCLUSION_PROOF_MISMATCH', 'inclusion proof does not lead to the checkpoint root');
  // 5. checkpoint signature and witnesses
  if (cp.origin !== trust.signer.name) reject('CHECKPOINT_WRONG_ORIGIN', 'checkpoint origin is ' + cp.origin);
  const outcome = verifyNote(note, trust.signer);
  if (outcome !== 'VERIFIED') reject('CHECKPOINT_SIGNATURE_INVALID', 'checkpoint signature: ' + outcome);
  if (trust.quorum > 0) {
    const ok = trust.witnesses.filter((w) => witnessCosigned(note, w)).length;
    if (ok < trust.quorum) reject('WITNESS_QUORUM_NOT_MET', ok + ' valid witness cosignatures, ' + trust.quorum + ' required');
  }
  // 6. consistency with the stored checkpoint
  if (cp.size < state.treeSize) reject('CHECKPOINT_ROLLBACK', 'checkpoint size ' + cp.size + ' is below the stored size');
  if (cp.size === state.treeSize) {
    if (!ctEqual(cp.root, state.root)) reject('SPLIT_VIEW', 'two different roots for tree size ' + cp.size);
  } else {
    if (b.consistencyFrom !== state.treeSize) reject('CONSISTENCY_WRONG_BASE', 'consistency proof from the wrong size');
    if (!verifyConsistency(state.treeSize, cp.size, state.root, cp.root, b.consistencyProof)) {
      reject('CONSISTENCY_PROOF_INVALID', 'no valid consistency proof from size ' + state.treeSize + ' to ' + cp.size);
    }
  }
  // 7. epoch monotonicity
  if (b.epoch < state.epoch) reject('EPOCH_ROLLBACK', 'epoch ' + b.epoch + ' is below the accepted ' + state.epoch);
  if (b.epoch === state.epoch && !ctEqual(b.digest, state.digest)) reject('EPOCH_REUSED', 'epoch reused with another artifact');
  // 8. validity window
  const now = Math.floor(nowMillis / 1000);
  if (now < artifact.notBefore) reject('NOT_YET_VALID', 'the fleet keys are not valid yet');
  if (now >= artifact.notAfter) reject('EXPIRED', 'the fleet keys have expired');
  return { artifact, state: { treeSize: cp.size, root: cp.root, epoch: b.epoch, digest: b.digest } };
}

function safeVerify(f) {
  try {
    return f() === true;
  } catch {
    return false;
  }
}
