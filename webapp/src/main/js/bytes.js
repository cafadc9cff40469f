// Byte helpers shared by the protocol code (PROTOCOL.md section 1 notation).

const enc = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(s) {
  return enc.encode(s);
}

/** Strict UTF-8 decoding (throws on invalid input). */
export function fromUtf8(b) {
  return new TextDecoder('utf-8', { fatal: true }).decode(b);
}

/** a || b || ... */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** I2OSP(x, k): k-byte big-endian encoding of a non-negative integer (number or bigint). */
export function i2osp(x, k) {
  let v = BigInt(x);
  if (v < 0n) throw new RangeError('i2osp: negative');
  const out = new Uint8Array(k);
  for (let i = k - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError('i2osp: value does not fit in ' + k + ' bytes');
  return out;
}

/** lp(x) = I2OSP(len(x), 2) || x. */
export function lp(x) {
  return concat(i2osp(x.length, 2), x);
}

/** L(name) = "fleetvault/v1 " || name. */
export function label(name) {
  return utf8('fleetvault/v1 ' + name);
}

/** Constant-time equality of two byte arrays (length is not secret). */
export function ctEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Overwrites byte arrays with zeros (best effort: JS gives no guarantee about copies). */
export function wipe(...arrays) {
  for (const a of arrays) if (a instanceof Uint8Array) a.fill(0);
}

/** Fresh random bytes from the platform CSPRNG. */
export function randomBytes(n) {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

export function toHex(b) {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s) {
  if (s.length % 2 !== 0 || /[^0-9a-f]/.test(s)) throw new Error('not lowercase hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (RFC 4648 section 4). */
export function toB64(b) {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    s += i + 1 < b.length ? B64[(n >> 6) & 63] : '=';
    s += i + 2 < b.length ? B64[n & 63] : '=';
  }
  return s;
}

/** Decodes standard base64 and accepts only the canonical spelling (re-encoding must give the input). */
export function fromB64(s) {
  if (typeof s !== 'string' || s.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(s)) {
    throw new Error('not canonical base64');
  }
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s[i + j];
      const v = c === '=' ? 0 : B64.indexOf(c);
      if (v < 0 || (c === '=' && i + j < s.length - pad)) throw new Error('not canonical base64');
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  if (toB64(out) !== s) throw new Error('not canonical base64');
  return out;
}

/** base64url without padding (JWT, WebAuthn ids). */
export function toB64url(b) {
  return toB64(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(s) {
  let t = s.replace(/-/g, '+').replace(/_/g, '/');
  while (t.length % 4 !== 0) t += '=';
  return fromB64(t);
}
