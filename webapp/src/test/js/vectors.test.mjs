// The web app's crypto against the published vectors, read at test time: RFC 9497 (P256-SHA256, modes OPRF and
// VOPRF), RFC 9380 (P256_XMD:SHA-256_SSWU_RO_) and RFC 9180 (DHKEM(P-256), HKDF-SHA256, AES-128-GCM, base mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { p256_hasher } from '@noble/curves/nist.js';
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import * as c from '../../main/js/crypto.js';
import { hex, readVector, toHex } from './env.mjs';

const oprfSuites = () => {
  const text = readVector('rfc9497/allVectors.json');
  return text ? JSON.parse(text).filter((s) => s.identifier === 'P256-SHA256') : null;
};

/** An rng that makes noble's randomScalar (mapHashToField of 48 bytes: x mod (q-1) + 1) return exactly r. */
const fixedScalar = (rHex) => () => {
  const r = BigInt('0x' + rHex) - 1n;
  return Uint8Array.from(Buffer.from(r.toString(16).padStart(96, '0'), 'hex'));
};

test('oprf_rfc9497Mode0Vectors_blindEvaluateFinalizeMatch', (t) => {
  const suites = oprfSuites();
  if (!suites) return t.skip('vectors missing');
  const s = suites.find((x) => x.mode === 0);
  let n = 0;
  for (const v of s.vectors.filter((x) => x.Batch === 1)) {
    const input = hex(v.Input);
    const { blind, blinded } = c.oprfBlind(input, fixedScalar(v.Blind));
    assert.equal(toHex(blind), v.Blind, 'blind');
    assert.equal(toHex(blinded), v.BlindedElement, 'blinded element');
    // one "member" holding the whole key: lambda = 1, so combining is RFC 9497 Finalize
    const y = c.oprfCombine(input, blind, [{ member: 1, Z: hex(v.EvaluationElement) }]);
    assert.equal(toHex(y), v.Output, 'output');
    assert.equal(toHex(c.oprfEvaluate(BigInt('0x' + s.skSm), input)), v.Output, 'evaluate with the whole key');
    n++;
  }
  assert.ok(n >= 2, 'ran ' + n + ' vectors');
});

test('verifyMemberProof_rfc9497Mode1Vectors_acceptsAndRejectsTampered', (t) => {
  const suites = oprfSuites();
  if (!suites) return t.skip('vectors missing');
  const s = suites.find((x) => x.mode === 1);
  let n = 0;
  for (const v of s.vectors.filter((x) => x.Batch === 1)) {
    const input = hex(v.Input);
    const ok = c.verifyMemberProof(input, hex(v.Blind), hex(v.BlindedElement), hex(v.EvaluationElement), hex(s.pkSm),
      hex(v.Proof.proof));
    assert.ok(ok, 'valid proof accepted');
    const bad = hex(v.Proof.proof);
    bad[40] ^= 1;
    assert.ok(!c.verifyMemberProof(input, hex(v.Blind), hex(v.BlindedElement), hex(v.EvaluationElement), hex(s.pkSm), bad),
      'tampered proof refused');
    n++;
  }
  assert.ok(n >= 2);
});

test('hashToCurve_rfc9380P256Vectors_match', (t) => {
  const text = readVector('rfc9380/P256_XMD_SHA-256_SSWU_RO_.json');
  if (!text) return t.skip('vectors missing');
  const suite = JSON.parse(text);
  for (const v of suite.vectors) {
    const p = p256_hasher.hashToCurve(new TextEncoder().encode(v.msg), { DST: new TextEncoder().encode(suite.dst) })
      .toAffine();
    assert.equal('0x' + p.x.toString(16).padStart(64, '0'), v.P.x, 'x of ' + JSON.stringify(v.msg));
    assert.equal('0x' + p.y.toString(16).padStart(64, '0'), v.P.y, 'y of ' + JSON.stringify(v.msg));
  }
  assert.ok(suite.vectors.length >= 5);
});

test('hpke_rfc9180BaseVector_encCiphertextAndExportsMatch', async (t) => {
  const text = readVector('rfc9180/dhkem_p256_hkdf_sha256_aes128gcm.txt');
  if (!text) return t.skip('vectors missing');
  const base = text.split('### Base Setup Information')[1].split('### PSK Setup Information')[0];
  const field = (name, from = base) => {
    const m = new RegExp('(?:^|\\n)' + name + ':\\s*([0-9a-f\\n]+?)(?:\\n[a-z_A-Z ]+:|\\n~~~|$)').exec(from);
    assert.ok(m, 'field ' + name);
    return m[1].replace(/\s+/g, '');
  };
  const suite = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
  const ekm = await suite.kem.deriveKeyPair(hex(field('ikmE')));
  const rkp = await suite.kem.deriveKeyPair(hex(field('ikmR')));
  const pkR = new Uint8Array(await suite.kem.serializePublicKey(rkp.publicKey));
  assert.equal(toHex(pkR), field('pkRm'));
  const sender = await suite.createSenderContext({ recipientPublicKey: rkp.publicKey, info: hex(field('info')), ekm });
  assert.equal(toHex(new Uint8Array(sender.enc)), field('enc'));
  const enc0 = base.split('sequence number: 0')[1];
  const ct = new Uint8Array(await sender.seal(hex(field('pt', enc0)), hex(field('aad', enc0))));
  assert.equal(toHex(ct), field('ct', enc0));
  // exporter values: the vector lists exporter_context, L and exported_value
  const exports = base.split('### Exported Values')[1] || text.split('### Exported Values')[1];
  const m = /exporter_context:\s*\nL: 32\nexported_value:\s*\n?((?:[0-9a-f]+\n)+)/.exec(exports);
  assert.ok(m, 'empty-context export vector');
  const exp = new Uint8Array(await sender.export(new Uint8Array(0), 32));
  assert.equal(toHex(exp), m[1].split('\n').filter((l) => /^[0-9a-f]+$/.test(l)).join(''));
});
