// The page: screens, forms and words. All protocol work is in vault.js; nothing secret is logged, stored or kept
// after a screen is left (byte arrays are wiped; text fields are cleared).
import { fromB64url, fromUtf8, toHex, utf8, wipe } from './bytes.js';
import { parseTrust, INITIAL_STATE, stateFromJson, stateToJson } from './bundle.js';
import { WsTransport, EdgeError } from './transport.js';
import { NotVerified, pinInput, Unavailable, VaultClient } from './vault.js';
import * as passkey from './passkey.js';
import { passkeyUserId } from './crypto.js';

const $ = (id) => document.getElementById(id);
const screens = ['signin', 'home', 'backup', 'recover', 'secret', 'attempts', 'delete', 'done'];
const params = new URLSearchParams(location.hash.slice(1));
const config = {
  pinParams: params.get('pin_params') || 'argon2id-v1-default',
  token: params.get('token') || sessionStorage.getItem('fleetvault.token') || '',
};
if (location.hash) history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar

let client = null;
let account = null;
let shownSecret = null;

function show(name) {
  for (const s of screens) $('screen-' + s).hidden = s !== name;
  document.body.dataset.screen = name;
}

function alertText(text, info) {
  const a = $('alert');
  a.textContent = text || '';
  a.hidden = !text;
  a.classList.toggle('info', !!info);
}

function busy(text) {
  $('busy').hidden = !text;
  $('busy-text').textContent = text || '';
}

/** Words for every failure a user can meet. */
function explain(e) {
  if (e instanceof NotVerified) return 'This vault could not prove who it is: ' + e.message + '. Nothing was sent to it.';
  if (e instanceof Unavailable) return 'The vault is not reachable right now: ' + e.message + '. Try again in a minute.';
  if (e instanceof passkey.PasskeyError) return e.message;
  if (e instanceof EdgeError) {
    switch (e.code) {
      case 'unauthenticated': return 'Your sign-in has expired or is not valid. Get a new sign-in token from your app.';
      case 'permission_denied': return 'This sign-in is for another account.';
      case 'rate_limited': return 'Too many requests. Wait a minute and try again.';
      case 'unreachable': return 'The vault server cannot be reached. Check your connection and try again.';
      case 'lost': return 'The vault server stopped answering. Try again; a recovery attempt may have been used.';
      case 'no_majority': case 'timeout': case 'not_ready': case 'hsm_busy':
        return 'Not enough of the vault\'s data centers answered. Nothing was changed; try again in a minute.';
      default: return 'The vault refused the request (' + e.code + ': ' + e.message + ').';
    }
  }
  if (e instanceof RangeError) return e.message;
  return 'Something went wrong: ' + (e && e.message ? e.message : String(e));
}

async function run(text, task) {
  alertText('');
  busy(text);
  try {
    return await task((t) => busy(t));
  } catch (e) {
    alertText(explain(e));
    return undefined;
  } finally {
    busy('');
  }
}

function claims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a sign-in token');
  const c = JSON.parse(fromUtf8(fromB64url(parts[1])));
  if (typeof c.iss !== 'string' || typeof c.sub !== 'string') throw new Error('the token names no app or user');
  return c;
}

function verifierStore(trust) {
  const key = 'fleetvault.bundle-state.' + trust.signer.name + '.' + toHex(trust.signer.keyId);
  return {
    get() {
      const s = localStorage.getItem(key);
      return s ? stateFromJson(s) : INITIAL_STATE;
    },
    set(state) {
      localStorage.setItem(key, stateToJson(state));
    },
  };
}

async function start() {
  let trust;
  try {
    const r = await fetch('trust.json', { cache: 'no-store' });
    if (!r.ok) throw new Error('this server publishes no trust file (HTTP ' + r.status + ')');
    trust = parseTrust(await r.text());
  } catch (e) {
    $('fleet-state').dataset.state = 'bad';
    $('fleet-state').textContent = 'The vault\'s keys cannot be checked';
    $('fleet-detail').textContent = e.message;
    return;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const transport = new WsTransport(scheme + '//' + location.host + '/v1/ws');
  client = new VaultClient({ transport, trust, store: verifierStore(trust), appId: null, token: null });
  try {
    const realm = await client.session();
    $('fleet-state').dataset.state = 'ok';
    $('fleet-state').textContent = 'Vault verified';
    $('fleet-detail').textContent = 'Fleet "' + realm.fleetId + '": ' + realm.n + ' data centers, any ' + realm.t
      + ' needed. Keys of epoch ' + realm.epoch + ', signed by ' + trust.signer.name + ', counter-signed by the operator'
      + ' and logged (audit log size ' + realm.treeSize + '). ' + realm.reachable.length + ' of ' + realm.n + ' reachable.';
  } catch (e) {
    $('fleet-state').dataset.state = 'bad';
    $('fleet-state').textContent = 'The vault could not be verified';
    $('fleet-detail').textContent = explain(e);
  }
  if (config.token) signIn(config.token);
  else show('signin');
}

function signIn(token) {
  try {
    const c = claims(token.trim());
    account = { user: c.sub, userId: utf8(c.sub), app: c.iss, token: token.trim() };
    client.appId = account.app;
    client.token = account.token;
    sessionStorage.setItem('fleetvault.token', account.token);
    $('who').textContent = 'Signed in as ' + account.user;
    $('who').hidden = false;
    alertText('');
    show('home');
  } catch (e) {
    alertText('That is not a valid sign-in token: ' + e.message);
    show('signin');
  }
}

async function secretBytes() {
  const kind = document.querySelector('input[name=secret-kind]:checked').value;
  if (kind === 'text') {
    const b = utf8($('secret-text').value);
    if (b.length === 0) throw new RangeError('Enter the secret to back up.');
    return { bytes: b, name: null };
  }
  const f = $('secret-file').files[0];
  if (!f) throw new RangeError('Choose a file to back up.');
  if (f.size > 128) throw new RangeError('The file is ' + f.size + ' bytes; the vault keeps at most 128 bytes.');
  return { bytes: new Uint8Array(await f.arrayBuffer()), name: f.name };
}

function done(title, text) {
  $('done-title').textContent = title;
  $('done-text').textContent = text;
  show('done');
}

function clearForms() {
  for (const id of ['backup-pin', 'backup-pin2', 'recover-pin', 'secret-text']) $(id).value = '';
  $('secret-file').value = '';
  $('delete-confirm').checked = false;
  $('delete-submit').disabled = true;
}

function forgetSecret() {
  if (shownSecret) wipe(shownSecret.bytes);
  shownSecret = null;
  $('secret-out').textContent = '';
}

function stretchProgress(set) {
  return (p) => set('Stretching your PIN so it is slow to guess… ' + Math.round(p * 100) + '%');
}

async function backup(ev) {
  ev.preventDefault();
  const usePin = $('use-pin').checked;
  const usePasskey = $('use-passkey').checked;
  if (!usePin && !usePasskey) return alertText('Choose a PIN, a passkey, or both.');
  if (usePin) {
    if ($('backup-pin').value.length < 4) return alertText('Choose a PIN of at least 4 characters.');
    if ($('backup-pin').value !== $('backup-pin2').value) return alertText('The two PINs differ.');
  }
  const guesses = Number($('guesses').value);
  const result = await run('Backing up…', async (set) => {
    const secret = await secretBytes();
    try {
      const done = [];
      if (usePasskey) {
        await passkey.register(client, account, secret.bytes, guesses, set);
        done.push('your passkey');
      }
      if (usePin) {
        const pin = utf8($('backup-pin').value);
        try {
          await client.register(account.userId, pinInput(pin, account.userId, stretchProgress(set)), secret.bytes, guesses,
            config.pinParams, (step) => step === 'seal' && set('Sealing one part to each data center…'));
        } finally {
          wipe(pin);
        }
        done.push('your PIN');
      }
      return done;
    } finally {
      wipe(secret.bytes);
    }
  });
  if (result) {
    clearForms();
    done('Backed up', 'Your secret is in the vault. You can recover it with ' + result.join(' or ') + '. '
      + guesses + ' wrong guesses are allowed.');
  }
}

async function recover(ev) {
  ev.preventDefault();
  const withPasskey = document.querySelector('input[name=recover-with]:checked').value === 'passkey';
  if (!withPasskey && !$('recover-pin').value) return alertText('Enter your PIN.');
  const r = await run('Recovering…', async (set) => {
    if (withPasskey) return passkey.recover(client, account, set);
    const pin = utf8($('recover-pin').value);
    try {
      return await client.recover(account.userId, pinInput(pin, account.userId, stretchProgress(set)),
        (step) => step === 'guess' ? set('Asking the data centers (this uses one attempt)…')
          : step === 'unlock' ? set('Unlocking…') : undefined);
    } finally {
      wipe(pin);
    }
  });
  $('recover-pin').value = '';
  if (!r) return;
  if (r.kind === 'recovered') {
    shownSecret = { bytes: r.secret };
    let text;
    try {
      text = fromUtf8(r.secret);
      if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new Error('binary');
    } catch {
      text = toHex(r.secret);
    }
    $('secret-out').textContent = text;
    $('secret-meta').textContent = r.secret.length + ' bytes. Your attempts are reset.';
    show('secret');
  } else if (r.kind === 'wrong') {
    alertText(r.remaining > 0
      ? 'That did not unlock it. ' + r.remaining + (r.remaining === 1 ? ' attempt remains.' : ' attempts remain.')
      : 'That did not unlock it, and no attempts remain: the backup is destroyed.');
  } else if (r.kind === 'passkey-refused') {
    alertText('The vault\'s data centers refused this passkey confirmation, so no attempt was used ('
      + r.remaining + ' remain). Use the passkey you backed up with, on this site.');
  } else if (r.kind === 'no-guesses') {
    alertText('No attempts remain: the vault has destroyed this backup for good. Back up again to start over.');
  } else {
    alertText('There is no backup for ' + account.user + ' in this vault.');
  }
}

async function attempts() {
  const r = await run('Asking the data centers (free)…', async () => ({
    pin: await client.lookup(account.userId),
    passkey: account.userId.length <= 120
      ? await client.lookup(passkeyUserId(account.userId)).catch((e) => ({ kind: 'unknown', why: explain(e) }))
      : { kind: 'not-registered' },
  }));
  if (!r) return;
  const line = (name, x) => x.kind === 'registered' ? name + ': ' + x.remaining + ' of ' + x.guessLimit
    : x.kind === 'no-guesses' ? name + ': none left (destroyed)'
      : x.kind === 'unknown' && r.pin.kind !== 'registered' ? name + ': could not be checked' : null;
  const lines = [line('PIN', r.pin), line('Passkey', r.passkey)].filter((x) => x);
  if (lines.length > 0) {
    $('attempts-out').textContent = lines.join('\n');
    $('attempts-meta').textContent = 'attempts remaining before the vault destroys the backup. Checking used none.';
  } else {
    $('attempts-out').textContent = '—';
    $('attempts-meta').textContent = 'There is no backup for ' + account.user + ' in this vault.';
  }
  show('attempts');
}

async function del() {
  const r = await run('Deleting…', async () => {
    const pin = await client.delete(account.userId);
    if (account.userId.length <= 120) await client.delete(passkeyUserId(account.userId));
    return pin;
  });
  if (r) {
    clearForms();
    done('Deleted', 'Your backup is gone (PIN and passkey): ' + r.confirmed.length + ' data centers confirmed it.');
  }
}

function wire() {
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('token').value);
    $('token').value = '';
  });
  $('go-backup').addEventListener('click', () => { alertText(''); show('backup'); });
  $('go-recover').addEventListener('click', () => { alertText(''); show('recover'); });
  $('go-attempts').addEventListener('click', attempts);
  $('go-delete').addEventListener('click', () => { alertText(''); show('delete'); });
  for (const b of document.querySelectorAll('.back')) {
    b.addEventListener('click', () => {
      clearForms();
      alertText('');
      show(account ? 'home' : 'signin');
    });
  }
  $('backup-form').addEventListener('submit', backup);
  $('recover-form').addEventListener('submit', recover);
  $('delete-confirm').addEventListener('change', () => { $('delete-submit').disabled = !$('delete-confirm').checked; });
  $('delete-submit').addEventListener('click', del);
  $('use-pin').addEventListener('change', () => { $('pin-fields').hidden = !$('use-pin').checked; });
  for (const r of document.querySelectorAll('input[name=secret-kind]')) {
    r.addEventListener('change', () => {
      const file = document.querySelector('input[name=secret-kind]:checked').value === 'file';
      $('secret-text').hidden = file;
      $('secret-file').hidden = !file;
    });
  }
  for (const r of document.querySelectorAll('input[name=recover-with]')) {
    r.addEventListener('change', () => {
      $('recover-pin-fields').hidden = document.querySelector('input[name=recover-with]:checked').value !== 'pin';
    });
  }
  $('secret-forget').addEventListener('click', () => {
    forgetSecret();
    show('home');
  });
  $('secret-download').addEventListener('click', () => {
    if (!shownSecret) return;
    const url = URL.createObjectURL(new Blob([shownSecret.bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'fleetvault-secret.bin';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  window.addEventListener('pagehide', forgetSecret);
  const support = passkey.support();
  $('use-passkey').disabled = !support.ok;
  $('passkey-hint').textContent = support.ok ? 'Your device asks for your fingerprint, face or screen lock.' : support.reason;
  if (!support.ok) document.querySelector('input[name=recover-with][value=passkey]').disabled = true;
}

wire();
start();
