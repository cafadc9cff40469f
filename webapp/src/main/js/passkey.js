// Passkeys (PROTOCOL.md section 21): the WebAuthn PRF output replaces the PIN as the OPRF input of the passkey entry
// u_pk = u || 0xFF || "passkey", and every recovery attempt carries an assertion over a challenge bound to that
// attempt, which each member verifies before it counts anything. The rp id is this page's host name (the members
// hold the one configured for the app; a page on another origin is refused by them).
import * as c from './crypto.js';
import { randomBytes, wipe } from './bytes.js';

/** A passkey step that failed, in words. */
export class PasskeyError extends Error {}

const TIMEOUT_MS = 120000;

/** Whether this browser and page can use passkeys, and if not, why (in words). */
export function support() {
  if (typeof window === 'undefined' || !window.PublicKeyCredential || !navigator.credentials) {
    return { ok: false, reason: 'This browser does not support passkeys.' };
  }
  if (!window.isSecureContext) return { ok: false, reason: 'Passkeys need a secure page (https).' };
  if (/^[0-9.]+$/.test(location.hostname) || location.hostname.includes(':')) {
    return { ok: false, reason: 'Passkeys need a domain name: open this page as http://localhost:' + location.port + '/app/.' };
  }
  return { ok: true, reason: '' };
}

function words(e, what) {
  if (e instanceof PasskeyError) return e;
  if (e && e.name === 'NotAllowedError') {
    return new PasskeyError('The passkey ' + what + ' was cancelled or timed out, or this device has no passkey for this '
      + 'account. Nothing was sent.');
  }
  if (e && e.name === 'InvalidStateError') return new PasskeyError('This device already has a passkey for this account.');
  if (e && e.name === 'SecurityError') return new PasskeyError('This page may not use passkeys for ' + location.hostname + '.');
  return new PasskeyError('The passkey ' + what + ' failed: ' + (e && e.message ? e.message : String(e)));
}

/** One get() with the PRF extension: the 32-byte PRF output for {@code salt}. */
async function prfOutput(credentialId, rpId, salt) {
  let a;
  try {
    a = await navigator.credentials.get({ publicKey: { challenge: randomBytes(32), rpId, timeout: TIMEOUT_MS,
      allowCredentials: [{ type: 'public-key', id: credentialId }], userVerification: 'required',
      extensions: { prf: { eval: { first: salt } } } } });
  } catch (e) {
    throw words(e, 'check');
  }
  const first = a.getClientExtensionResults().prf?.results?.first;
  if (!first || first.byteLength !== 32) {
    throw new PasskeyError('This passkey cannot derive keys (no WebAuthn PRF support), so it cannot protect a backup.');
  }
  return new Uint8Array(first);
}

/** Creates a passkey and registers {@code secret} on the account's passkey entry. */
export async function register(client, account, secret, guessLimit, progress) {
  const realm = client.realm || (await client.session());
  const uPk = c.passkeyUserId(account.userId);
  const salt = c.prfSalt(realm.fleetId, account.app, account.userId);
  const rpId = location.hostname;
  const userHandle = randomBytes(32);
  progress('Creating a passkey on this device…');
  let cred;
  try {
    cred = await navigator.credentials.create({ publicKey: {
      rp: { id: rpId, name: 'Fleetvault' },
      user: { id: userHandle, name: account.user, displayName: account.user },
      challenge: randomBytes(32),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -8 }, { type: 'public-key', alg: -257 }],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      extensions: { prf: { eval: { first: salt } } },
      timeout: TIMEOUT_MS,
    } });
  } catch (e) {
    throw words(e, 'creation');
  }
  const ext = cred.getClientExtensionResults().prf;
  if (!ext || (!ext.enabled && !ext.results)) {
    throw new PasskeyError('This passkey cannot derive keys (no WebAuthn PRF support), so it cannot protect a backup.');
  }
  const credentialId = new Uint8Array(cred.rawId);
  let prf = ext.results?.first ? new Uint8Array(ext.results.first) : null;
  if (!prf) {
    progress('Confirm with your passkey once more…');
    prf = await prfOutput(credentialId, rpId, salt);
  }
  const spki = cred.response.getPublicKey ? cred.response.getPublicKey() : null;
  if (!spki) throw new PasskeyError('This browser does not reveal the passkey\'s public key.');
  const credential = { credential_id: credentialId, spki_public_key: new Uint8Array(spki),
    public_key_algorithm: cred.response.getPublicKeyAlgorithm(), user_handle: userHandle };
  const input = {
    kind: 'passkey',
    stretch: async (regSalt, params, r) => c.passkeyOprfInput(prf, uPk, r.fleetId, regSalt),
    register2Extra: () => ({ passkey: credential }),
  };
  try {
    return await client.register(uPk, input, secret, guessLimit, c.PASSKEY_PARAMS,
      (step) => step === 'seal' && progress('Sealing one part to each data center…'));
  } finally {
    wipe(prf);
  }
}

/** One recovery attempt with the passkey: two ceremonies (PRF, then the assertion bound to the attempt). */
export async function recover(client, account, progress) {
  const uPk = c.passkeyUserId(account.userId);
  const input = {
    kind: 'passkey',
    stretch: async (regSalt, params, realm, reg) => {
      progress('Unlock with your passkey…');
      const prf = await prfOutput(reg.passkeyCredentialId, reg.passkeyRpId,
        c.prfSalt(realm.fleetId, account.app, account.userId));
      try {
        return c.passkeyOprfInput(prf, uPk, realm.fleetId, regSalt);
      } finally {
        wipe(prf);
      }
    },
    authorize: async ({ reg, attemptId }) => {
      progress('Confirm this attempt with your passkey…');
      const challenge = c.passkeyChallenge(uPk, reg.recordVersion, attemptId);
      let a;
      try {
        a = await navigator.credentials.get({ publicKey: { challenge, rpId: reg.passkeyRpId, timeout: TIMEOUT_MS,
          allowCredentials: [{ type: 'public-key', id: reg.passkeyCredentialId }], userVerification: 'required' } });
      } catch (e) {
        throw words(e, 'confirmation');
      }
      return { passkey_assertion: {
        credential_id: new Uint8Array(a.rawId),
        authenticator_data: new Uint8Array(a.response.authenticatorData),
        client_data_json: new Uint8Array(a.response.clientDataJSON),
        signature: new Uint8Array(a.response.signature),
        user_handle: a.response.userHandle ? new Uint8Array(a.response.userHandle) : new Uint8Array(0),
      } };
    },
  };
  return client.recover(uPk, input, (step) => step === 'guess' && progress('Asking the data centers (this uses one attempt)…'));
}
