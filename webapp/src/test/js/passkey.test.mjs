// The passkey derivations against PROTOCOL.md 21.8 (recomputed from the Java reference by PasskeyDocExampleTest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as c from '../../main/js/crypto.js';
import * as pb from '../../main/js/proto.js';
import { hex, projectRoot, toHex } from './env.mjs';

const doc = readFileSync(resolve(projectRoot, 'docs/PROTOCOL.md'), 'utf8');
const section = doc.split('### 21.8 Worked example')[1].split('### 21.9')[0];
const value = (name) => {
  const m = new RegExp('\\n' + name.replace(/[()']/g, '\\$&') + '\\s+= ([0-9a-f ]+)\\n').exec(section);
  assert.ok(m, name);
  return m[1].replace(/ /g, '');
};
const u = new TextEncoder().encode('alice@example.com');

test('passkeyDerivations_workedExample21_8_matchJavaReference', () => {
  const uPk = c.passkeyUserId(u);
  assert.equal(toHex(uPk), value('u_pk'));
  assert.equal(toHex(c.prfSalt('example-fleet', 'example-app', u)), value('prf_salt'));
  const prf = hex(value('prf'));
  const salt = hex('30adcdd6dc397253f66de0804165e95f92592b2a5c5e7ec8ca66918010e9deb7');
  assert.equal(toHex(c.pinSalt(uPk, 'example-fleet', c.PASSKEY_PARAMS, salt)), value('pin_salt'));
  assert.equal(toHex(c.passkeyOprfInput(prf, uPk, 'example-fleet', salt)), value("p' (OPRF input)"));
  assert.equal(toHex(c.passkeyChallenge(uPk, 1, hex(value('attempt_id')))), value('passkey_challenge'));
  assert.throws(() => c.passkeyOprfInput(prf.subarray(0, 31), uPk, 'example-fleet', salt), /32-byte/);
  assert.throws(() => c.passkeyUserId(new Uint8Array(121)), /120 bytes/);
});

test('passkeyWireFields_encodeWithTheProtoFieldNumbers', () => {
  const p = pb.encode(pb.Recover1Payload, { record_version: 1, generation: 1, passkey_assertion: {
    credential_id: Uint8Array.of(9), authenticator_data: new Uint8Array(37), client_data_json: Uint8Array.of(0x7b),
    signature: Uint8Array.of(1), user_handle: new Uint8Array(0) } });
  const back = pb.decode(pb.Recover1Payload, p);
  assert.equal(back.passkey_assertion.authenticator_data.length, 37);
  const cred = pb.encode(pb.PasskeyCredential, { credential_id: Uint8Array.of(1), spki_public_key: Uint8Array.of(2),
    public_key_algorithm: -7, user_handle: Uint8Array.of(3) });
  // field 5 sint32 -7 zigzag = 13
  assert.equal(toHex(cred), '0a01011a0103220102280d');
  assert.equal(pb.decode(pb.PasskeyCredential, cred).public_key_algorithm, -7);
  assert.equal(pb.decode(pb.Recover1Reply, Uint8Array.of(0x08, 0x07, 0x20, 0x03)).status, pb.ReplyStatus.PASSKEY_REFUSED);
});
