// Interop with the Java reference: PROTOCOL.md's worked example (section 14) is recomputed from the Java code on
// every build (ProtocolDocExampleTest), so reproducing its bytes here shows the web app computes what the Java
// members and SDK compute: PIN salt and Argon2id, OPRF, Shamir shares and commitments, keys, tags, masks, the secret,
// the protobuf payloads, HPKE envelopes and answer keys, the attempt id, DLEQ proofs and the sealed answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as c from '../../main/js/crypto.js';
import * as pb from '../../main/js/proto.js';
import { hex, projectRoot, toHex } from './env.mjs';

const doc = readFileSync(resolve(projectRoot, 'docs/PROTOCOL.md'), 'utf8');
const block = doc.split('<!-- worked-example:begin -->')[1].split('<!-- worked-example:end -->')[0];
const X = {};
for (const line of block.split('\n')) {
  const m = /^([a-zA-Z0-9_]+) = ([0-9a-f]+)$/.exec(line.trim());
  if (m) X[m[1]] = m[2];
}
const str = (k) => Buffer.from(X[k], 'hex').toString('utf8');
const big = (k) => BigInt('0x' + X[k]);
const u = hex(X.user_id);
const fleet = str('fleet_id');
const app = str('app_id');
const pinParams = str('pin_params');

test('workedExample_registration_matchesJavaReference', async () => {
  assert.ok(Object.keys(X).length > 60, 'parsed the worked example');
  const salt = hex(X.registration_salt);
  assert.equal(toHex(c.pinSalt(u, fleet, pinParams, salt)), X.pin_salt);
  const pPrime = await c.stretchPin(hex(X.pin), u, fleet, pinParams, salt);
  assert.equal(toHex(pPrime), X.stretched_pin);
  const y = c.oprfEvaluate(big('oprf_key_k'), pPrime);
  assert.equal(toHex(y), X.oprf_output_y);
  const { unlockKey, maskKey } = c.keysFromY(y);
  assert.equal(toHex(unlockKey), X.unlock_key);
  assert.equal(toHex(maskKey), X.mask_key);
  const g = [big('oprf_key_k'), big('oprf_coefficient_a1')];
  const f = [big('data_key_d'), big('data_coefficient_b1')];
  const commitments = [];
  for (let i = 1; i <= 3; i++) {
    assert.equal(toHex(c.scalarBytes(c.polyEval(g, i))), X['k' + i], 'k' + i);
    const K = c.elementBytes(c.baseTimes(c.polyEval(g, i)));
    assert.equal(toHex(K), X['commitment_K' + i]);
    commitments.push(K);
    const D = c.scalarBytes(c.polyEval(f, i));
    assert.equal(toHex(D), X['data_share_D' + i]);
    assert.equal(toHex(c.unlockTag(unlockKey, i)), X['unlock_tag' + i]);
    assert.equal(toHex(c.shareMask(maskKey, i)), X['share_mask' + i]);
    assert.equal(toHex(c.xor(D, c.shareMask(maskKey, i))), X['masked_share' + i]);
  }
  assert.ok(c.commitmentsConsistent(commitments.map(c.elementFrom), 2));
  const tampered = commitments.map(c.elementFrom);
  tampered[2] = tampered[2].double();
  assert.ok(!c.commitmentsConsistent(tampered, 2), 'a commitment off the polynomial is caught');
  assert.equal(toHex(c.secretAad(u, 1)), X.secret_aad);
  const secretCt = await c.sealSecret(c.scalarBytes(f[0]), u, 1, hex(X.secret), hex(X.secret_nonce));
  assert.equal(toHex(secretCt), X.secret_ciphertext);
  const payload = pb.encode(pb.Register2Payload, { record_version: 1, threshold: 2, members: 3, guess_limit: 10,
    pin_params: pinParams, registration_salt: salt, oprf_key_share: hex(X.k1), commitments,
    masked_data_share: hex(X.masked_share1), unlock_tag: hex(X.unlock_tag1), secret_ciphertext: secretCt });
  assert.equal(toHex(payload), X.register2_payload1);
  assert.equal(toHex(c.ctx(pb.Phase.REGISTER2, 1, fleet, app, u)), X.register2_context1);
  const s = await c.sealRequest(hex(X.member1_hpke_public_key), pb.Phase.REGISTER2, 1, fleet, app, u, payload,
    hex(X.register2_ephemeral_ikm));
  assert.equal(toHex(s.enc), X.register2_enc1);
  assert.equal(toHex(s.ciphertext), X.register2_ciphertext1);
  assert.equal(toHex(s.answerKey), X.register2_answer_key1);
  assert.equal(toHex(pb.encode(pb.SealedRequest, { member: 1, enc: s.enc, ciphertext: s.ciphertext })),
    X.register2_sealed_request1);
  // the secret comes back from any two shares
  const d = (c.lagrangeAtZero([1, 3])[0] * c.polyEval(f, 1) + c.lagrangeAtZero([1, 3])[1] * c.polyEval(f, 3)) % c.ORDER;
  assert.equal(toHex(await c.openSecret(c.scalarBytes(d), u, 1, secretCt)), X.secret);
});

test('workedExample_recoveryPhase1_matchesJavaReference', async () => {
  const pPrime = hex(X.stretched_pin);
  const r = big('blind_r');
  const { blind, blinded } = c.oprfBlind(pPrime, () => hex((r - 1n).toString(16).padStart(96, '0')));
  assert.equal(toHex(blind), X.blind_r);
  assert.equal(toHex(blinded), X.blinded_element_B);
  const nonce = hex(X.recover1_nonce);
  assert.equal(toHex(c.attemptId(fleet, app, u, 1, 1, blinded, nonce)), X.attempt_id);
  const payload = pb.encode(pb.Recover1Payload, { record_version: 1, blinded_element: blinded, nonce, generation: 1 });
  assert.equal(toHex(payload), X.recover1_payload1);
  const s = await c.sealRequest(hex(X.member1_hpke_public_key), pb.Phase.RECOVER1, 1, fleet, app, u, payload,
    hex(X.recover1_ephemeral_ikm));
  assert.equal(toHex(s.enc), X.recover1_enc1);
  assert.equal(toHex(s.ciphertext), X.recover1_ciphertext1);
  assert.equal(toHex(s.answerKey), X.recover1_answer_key1);
  for (const i of [1, 2]) {
    assert.ok(c.verifyMemberProof(pPrime, blind, blinded, hex(X['evaluated_Z' + i]), hex(X['commitment_K' + i]),
      hex(X['proof' + i])), 'proof ' + i);
  }
  assert.ok(!c.verifyMemberProof(pPrime, blind, blinded, hex(X.evaluated_Z1), hex(X.commitment_K2), hex(X.proof1)),
    'a proof against another member\'s commitment is refused');
  const y = c.oprfCombine(pPrime, blind, [{ member: 1, Z: hex(X.evaluated_Z1) }, { member: 2, Z: hex(X.evaluated_Z2) }]);
  assert.equal(toHex(y), X.oprf_output_y);
  // the member's sealed answer opens under the exported key and decodes
  const reply = await c.openAnswer(s.answerKey, hex(X.recover1_answer_nonce1), hex(X.recover1_answer_ciphertext1),
    pb.Phase.RECOVER1, 1, fleet, app, u);
  assert.equal(toHex(reply), X.recover1_reply1);
  const decoded = pb.decode(pb.Recover1Reply, reply);
  assert.equal(decoded.status, pb.ReplyStatus.OK);
  assert.equal(toHex(decoded.evaluated_element), X.evaluated_Z1);
  assert.equal(decoded.guesses_remaining, 9);
  assert.equal(await c.openAnswer(s.answerKey, hex(X.recover1_answer_nonce1), hex(X.recover1_answer_ciphertext1),
    pb.Phase.RECOVER1, 2, fleet, app, u), null, 'an answer does not open as another member\'s');
});

test('decode_unknownFieldOrTruncated_refused', () => {
  const ok = pb.encode(pb.Recover1Reply, { status: 1, guesses_remaining: 3 });
  assert.equal(pb.decode(pb.Recover1Reply, ok).guesses_remaining, 3);
  assert.throws(() => pb.decode(pb.Recover1Reply, Uint8Array.from([...ok, 0x48, 0x01])), /unknown field 9/);
  assert.throws(() => pb.decode(pb.Recover1Reply, Uint8Array.from([0x12, 0x05, 0x01])));
  assert.throws(() => pb.decode(pb.Recover1Reply, Uint8Array.from([0x0a, 0x01, 0x01])), /wrong wire type/);
});
