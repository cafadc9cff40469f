// The cryptography of PROTOCOL.md sections 5 and 6, on well-kept libraries: @noble/curves (P-256, RFC 9380
// hash-to-curve, RFC 9497 OPRF and its DLEQ proofs), @noble/hashes (SHA-256, HMAC, HKDF, Argon2id) and @hpke/core
// (RFC 9180 HPKE). AES-GCM is the browser's WebCrypto.
import { p256, p256_hasher, p256_oprf } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { extract, expand } from '@noble/hashes/hkdf.js';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { concat, i2osp, label, lp, randomBytes, utf8, wipe } from './bytes.js';

const Point = p256.Point;
const Fn = Point.Fn;
export const ORDER = Fn.ORDER;

// ---------------------------------------------------------------- hashes and KDFs

export { sha256 };

export function hmacSha256(key, msg) {
  return hmac(sha256, key, msg);
}

/** LabeledHKDF(ikm, label, context, L) of PROTOCOL.md section 1. */
export function labeledHkdf(ikm, name, context, length) {
  const prk = extract(sha256, ikm, new Uint8Array(32));
  const n = utf8(name);
  const out = expand(sha256, prk, concat(utf8('fleetvault/v1 '), i2osp(n.length, 2), n, context), length);
  wipe(prk);
  return out;
}

// ---------------------------------------------------------------- scalars and points

/** SerializeScalar: 32-byte big-endian. */
export function scalarBytes(x) {
  return i2osp(x, 32);
}

/** Decodes a scalar, refusing wrong lengths and values >= q (no silent reduction). */
export function scalarFrom(b) {
  if (b.length !== 32) throw new Error('a scalar is 32 bytes');
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (v >= ORDER) throw new Error('scalar not below the group order');
  return v;
}

/** A uniformly random scalar in [1, q-1]. */
export function randomScalar() {
  for (;;) {
    const b = randomBytes(32);
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    wipe(b);
    if (v > 0n && v < ORDER) return v;
  }
}

/** Decodes a 33-byte compressed element, refusing anything off the curve and the identity. */
export function elementFrom(b) {
  if (b.length !== 33) throw new Error('an element is 33 bytes');
  const p = Point.fromBytes(b);
  p.assertValidity();
  if (p.is0()) throw new Error('the identity is not an element');
  return p;
}

export function elementBytes(p) {
  return p.toBytes(true);
}

export function baseTimes(k) {
  return Point.BASE.multiply(k);
}

// ---------------------------------------------------------------- Shamir over Z_q

/** Evaluates the polynomial with coefficients {@code coeffs} (coeffs[0] = secret) at x. */
export function polyEval(coeffs, x) {
  let acc = 0n;
  const bx = BigInt(x);
  for (let j = coeffs.length - 1; j >= 0; j--) acc = Fn.add(Fn.mul(acc, bx), coeffs[j]);
  return acc;
}

/** Lagrange coefficients at 0 for the member indexes {@code xs}: λ_j = Π m·(m−j)^-1. */
export function lagrangeAtZero(xs) {
  return xs.map((j) => {
    let num = 1n;
    let den = 1n;
    for (const m of xs) {
      if (m === j) continue;
      num = Fn.mul(num, BigInt(m));
      den = Fn.mul(den, Fn.create(BigInt(m) - BigInt(j)));
    }
    return Fn.mul(num, Fn.inv(den));
  });
}

/**
 * True when the commitments K_1..K_n lie on one polynomial of degree < t in the exponent
 * (K_j = Σ_{l ≤ t} λ_l(j)·K_l for every j > t).
 */
export function commitmentsConsistent(points, t) {
  const base = [];
  for (let l = 1; l <= t; l++) base.push(l);
  for (let j = t + 1; j <= points.length; j++) {
    let acc = Point.ZERO;
    for (const l of base) {
      let num = 1n;
      let den = 1n;
      for (const m of base) {
        if (m === l) continue;
        num = Fn.mul(num, Fn.create(BigInt(j) - BigInt(m)));
        den = Fn.mul(den, Fn.create(BigInt(l) - BigInt(m)));
      }
      acc = acc.add(points[l - 1].multiply(Fn.mul(num, Fn.inv(den))));
    }
    if (!acc.equals(points[j - 1])) return false;
  }
  return true;
}

// ---------------------------------------------------------------- OPRF (RFC 9497 P256-SHA256)

/** y = OPRF(k, input) with the whole key (registration). */
export function oprfEvaluate(k, input) {
  return p256_oprf.oprf.evaluate(scalarBytes(k), input);
}

/** Blind(input): {blind r (32 bytes), blinded B (33 bytes)}. */
export function oprfBlind(input, rngForTestsOnly) {
  return p256_oprf.oprf.blind(input, rngForTestsOnly);
}

/** HashToGroup(input) of RFC 9497 P256-SHA256 mode 0 (RFC 9380 P256_XMD:SHA-256_SSWU_RO_), for tests. */
export function hashToGroupBytes(input) {
  return p256_hasher.hashToCurve(input, { DST: utf8('HashToGroup-OPRFV1-\u0000-P256-SHA256') }).toBytes(true);
}

/**
 * VerifyProof(G, K_i, [B], [Z_i], π_i) with the mode-1 (VOPRF) context: the library's VOPRF finalize checks the
 * proof and throws when it fails (its output is not used).
 */
export function verifyMemberProof(input, blind, B, Z, K, proof) {
  try {
    p256_oprf.voprf.finalize(input, blind, Z, B, K, proof);
    return true;
  } catch {
    return false;
  }
}

/** y from t verified answers: Finalize(input, r, Σ λ_j Z_j) (the library unblinds with r^-1). */
export function oprfCombine(input, blind, answers) {
  const lambdas = lagrangeAtZero(answers.map((a) => a.member));
  let acc = Point.ZERO;
  answers.forEach((a, idx) => {
    acc = acc.add(elementFrom(a.Z).multiply(lambdas[idx]));
  });
  return p256_oprf.oprf.finalize(input, blind, acc.toBytes(true));
}

// ---------------------------------------------------------------- keys from y (6.3)

export function keysFromY(y) {
  return { unlockKey: labeledHkdf(y, 'unlock key', new Uint8Array(0), 32),
    maskKey: labeledHkdf(y, 'mask key', new Uint8Array(0), 32) };
}

export function unlockTag(unlockKey, i) {
  return hmacSha256(unlockKey, concat(label('unlock tag'), i2osp(i, 2)));
}

export function shareMask(maskKey, i) {
  return labeledHkdf(maskKey, 'share mask', i2osp(i, 2), 32);
}

export function xor(a, b) {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

// ---------------------------------------------------------------- PIN stretching (6.1)

/** The passkey entry's parameter set (PROTOCOL.md 21.2): p' = HMAC-SHA256(prf, pin_salt), no Argon2id. */
export const PASSKEY_PARAMS = 'passkey-prf-v1';

export const PIN_PARAMS = Object.freeze({
  'argon2id-v1-default': { m: 16384, t: 32, p: 1 },
  'argon2id-v1-insecure-test-only': { m: 64, t: 1, p: 1 },
});

export function pinSalt(userId, fleetId, pinParams, registrationSalt) {
  return sha256(concat(label('pin salt'), lp(userId), lp(utf8(fleetId)), lp(utf8(pinParams)), lp(registrationSalt)));
}

/** p' = Argon2id(pin, pin_salt, ...), 32 bytes. */
export async function stretchPin(pin, userId, fleetId, pinParams, registrationSalt, onProgress) {
  const set = PIN_PARAMS[pinParams];
  if (!set) throw new Error('unknown PIN parameter set ' + pinParams);
  const salt = pinSalt(userId, fleetId, pinParams, registrationSalt);
  return argon2idAsync(pin, salt, { t: set.t, m: set.m, p: set.p, dkLen: 32, version: 0x13,
    onProgress: onProgress || undefined, asyncTick: 25 });
}

// ---------------------------------------------------------------- envelopes (section 5)

const suite = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });

export function ctx(phase, i, fleetId, appId, userId) {
  return concat(i2osp(1, 2), i2osp(1, 2), i2osp(phase, 1), i2osp(i, 2), lp(utf8(fleetId)), lp(utf8(appId)), lp(userId));
}

/** Seals {@code pt} to member i: {enc, ciphertext, answerKey}. A fresh ephemeral key every call. */
export async function sealRequest(pkR, phase, i, fleetId, appId, userId, pt, ephemeralIkmForTestsOnly) {
  const recipientPublicKey = await suite.kem.deserializePublicKey(pkR);
  const info = concat(label('request'), ctx(phase, i, fleetId, appId, userId));
  const params = { recipientPublicKey, info };
  if (ephemeralIkmForTestsOnly) params.ekm = await suite.kem.deriveKeyPair(ephemeralIkmForTestsOnly);
  const sender = await suite.createSenderContext(params);
  const ciphertext = new Uint8Array(await sender.seal(pt));
  const answerKey = new Uint8Array(await sender.export(label('answer key'), 16));
  return { enc: new Uint8Array(sender.enc), ciphertext, answerKey };
}

/** Opens a member's answer (AES-128-GCM under the exported key); null when it does not authenticate. */
export async function openAnswer(answerKey, nonce, ciphertext, phase, i, fleetId, appId, userId) {
  if (nonce.length !== 12 || ciphertext.length < 16) return null;
  const aad = concat(label('answer'), ctx(phase, i, fleetId, appId, userId));
  try {
    const key = await crypto.subtle.importKey('raw', answerKey, 'AES-GCM', false, ['decrypt']);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, key, ciphertext));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the secret (6.4)

export function secretAad(userId, recordVersion) {
  return concat(label('secret'), lp(userId), i2osp(recordVersion, 8));
}

export async function sealSecret(dataKey, userId, recordVersion, secret, nonceForTestsOnly) {
  const nonce = nonceForTestsOnly || randomBytes(12);
  const key = await crypto.subtle.importKey('raw', dataKey, 'AES-GCM', false, ['encrypt']);
  const ct = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: secretAad(userId, recordVersion) }, key, secret));
  return concat(nonce, ct);
}

/** Decrypts secret_ct; null when it does not authenticate. */
export async function openSecret(dataKey, userId, recordVersion, secretCt) {
  try {
    const key = await crypto.subtle.importKey('raw', dataKey, 'AES-GCM', false, ['decrypt']);
    return new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: secretCt.subarray(0, 12), additionalData: secretAad(userId, recordVersion) }, key,
      secretCt.subarray(12)));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- attempt id (6.5)

export function attemptId(fleetId, appId, userId, recordVersion, generation, B, nonce) {
  return sha256(concat(label('attempt id'), lp(utf8(fleetId)), lp(utf8(appId)), lp(userId), i2osp(recordVersion, 8),
    i2osp(generation, 8), lp(B), lp(nonce)));
}

// ---------------------------------------------------------------- passkeys (PROTOCOL.md 21)

/** u_pk = u || 0xFF || "passkey": the passkey entry's user id (21.1). */
export function passkeyUserId(userId) {
  if (userId.length > 120) throw new RangeError('a user id with a passkey is at most 120 bytes');
  return concat(userId, new Uint8Array([0xff]), utf8('passkey'));
}

/** prf_salt = SHA-256(L("passkey prf salt") || lp(fleet) || lp(app) || lp(u)), u the plain user id (21.2). */
export function prfSalt(fleetId, appId, userId) {
  return sha256(concat(label('passkey prf salt'), lp(utf8(fleetId)), lp(utf8(appId)), lp(userId)));
}

/** p' = HMAC-SHA256(prf, pin_salt(u_pk, fleet, "passkey-prf-v1", registration_salt)) (21.2). */
export function passkeyOprfInput(prf, passkeyUid, fleetId, registrationSalt) {
  if (prf.length !== 32) throw new Error('the passkey gave no 32-byte PRF output');
  return hmacSha256(prf, pinSalt(passkeyUid, fleetId, PASSKEY_PARAMS, registrationSalt));
}

/** passkey_challenge = SHA-256(L("passkey challenge") || lp(u_pk) || I2OSP(record_version, 8) || attempt_id) (21.5). */
export function passkeyChallenge(passkeyUid, recordVersion, attemptIdBytes) {
  return sha256(concat(label('passkey challenge'), lp(passkeyUid), i2osp(recordVersion, 8), attemptIdBytes));
}
