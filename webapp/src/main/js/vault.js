// Register, recover and delete over the WebSocket API, mirroring the Java SDK (client/ DefaultFleetvaultClient and
// protocol/flow Registration, Recovery, Deletion): every session starts with Status and a verified bundle; answers are
// authenticated by the per-request exported key; retries follow PROTOCOL.md section 17.
import * as c from './crypto.js';
import { concat, ctEqual, randomBytes, toHex, utf8, wipe } from './bytes.js';
import * as pb from './proto.js';
import { verifyBundle } from './bundle.js';
import { EdgeError } from './transport.js';

const { Phase, ReplyStatus } = pb;
const MAX_RECORD_VERSION = Number.MAX_SAFE_INTEGER;
const RESTARTS = 3;
const REGISTER_CONFLICT_RETRIES = 3;

/** Fewer than t usable answers: reported as unavailable. */
export class Unavailable extends Error {}

/** The fleet's bundle did not verify: nothing was sealed. */
export class NotVerified extends Error {}

/**
 * A client for one edge. {@code store} keeps the bundle verifier state ({get(), set(state)}); {@code trust} is the
 * parsed trust file; {@code appId} the tokens' issuer; {@code tokens()} returns the app token for the user.
 */
export class VaultClient {
  constructor({ transport, trust, store, appId, token, now = () => Date.now() }) {
    Object.assign(this, { transport, trust, store, appId, token, now });
  }

  // ---------------------------------------------------------------- session

  async status() {
    const state = this.store.get();
    const body = pb.encode(pb.StatusRequest, { version: 1, suite: 1, known_bundle_epoch: state.epoch,
      known_tree_size: state.treeSize });
    const s = pb.decode(pb.StatusResponse, await this.transport.call('Status', body, null));
    if (s.version !== 1 || s.suite !== 1) throw new NotVerified('the edge answered another protocol version');
    return s;
  }

  /** Status + bundle verification; persists the new verifier state before returning the realm (13.9). */
  async session() {
    const s = await this.status();
    if (s.validation_bundle.length === 0) {
      throw new NotVerified('the vault server sent no signed fleet keys, so nothing can be sealed to it');
    }
    let v;
    try {
      v = verifyBundle(s.validation_bundle, this.trust, this.store.get(), this.now());
    } catch (e) {
      throw new NotVerified('the fleet keys did not verify (' + e.message + ')');
    }
    this.store.set(v.state);
    const a = v.artifact;
    this.realm = { fleetId: a.fleetId, n: a.members.length, t: a.threshold, members: a.members, epoch: a.epoch,
      treeSize: v.state.treeSize, reachable: s.reachable_members, majorityReachable: s.majority_reachable };
    return this.realm;
  }

  // ---------------------------------------------------------------- one phase

  /** Seals {@code payloads[i]} (bytes) to each member i in {@code to}; returns {body, keys}. */
  async seal(realm, phase, userId, to, payloadFor) {
    const requests = [];
    const keys = new Map();
    for (const i of to) {
      const m = realm.members[i - 1];
      const pt = payloadFor(i);
      const s = await c.sealRequest(m.hpkePublicKey, phase, i, realm.fleetId, this.appId, userId, pt);
      wipe(pt);
      requests.push({ member: i, enc: s.enc, ciphertext: s.ciphertext });
      keys.set(i, s.answerKey);
    }
    const state = this.store.get();
    const body = pb.encode(pb.PhaseRequest, { version: 1, suite: 1, user_id: userId, requests,
      known_bundle_epoch: state.epoch, known_tree_size: state.treeSize });
    return { body, keys };
  }

  /** Opens every answer of a phase response: Map member -> decoded reply; members that fail are flagged. */
  async open(realm, phase, userId, responseBody, keys, replySchema, flagged) {
    const resp = pb.decode(pb.PhaseResponse, responseBody);
    if (resp.version !== 1 || resp.suite !== 1) throw new EdgeError('bad_response', 'the edge answered another version');
    const out = new Map();
    for (const r of resp.results) {
      const key = keys.get(r.member);
      if (!key || out.has(r.member)) continue;
      if (!r.answer) continue; // MemberUnavailable: unauthenticated, a missing answer
      if (r.answer.member !== r.member) {
        flagged.add(r.member);
        continue;
      }
      const pt = await c.openAnswer(key, r.answer.nonce, r.answer.ciphertext, phase, r.member, realm.fleetId, this.appId,
        userId);
      if (!pt) {
        flagged.add(r.member);
        continue;
      }
      try {
        const reply = pb.decode(replySchema, pt, 2048);
        if (!reply.status) throw new Error('no status');
        out.set(r.member, reply);
      } catch {
        flagged.add(r.member);
      } finally {
        wipe(pt);
      }
    }
    return out;
  }

  async phase(realm, method, phase, userId, to, payloadFor, replySchema, flagged) {
    const { body, keys } = await this.seal(realm, phase, userId, to, payloadFor);
    const answer = await this.transport.call(method, body, this.token);
    return this.open(realm, phase, userId, answer, keys, replySchema, flagged);
  }

  // ---------------------------------------------------------------- register (section 8)

  /**
   * Registers {@code secret} (1..128 bytes) behind {@code input}: an object {kind, stretch(salt, pinParams)} that
   * turns the registration salt into the OPRF input p' (PIN: Argon2id). Resolves {recordVersion, guessLimit}.
   */
  async register(userId, input, secret, guessLimit, pinParams, progress = () => {}) {
    if (secret.length < 1 || secret.length > 128) throw new RangeError('a secret is 1 to 128 bytes');
    for (let attempt = 0; ; attempt++) {
      const realm = await this.session();
      const flagged = new Set();
      const all = realm.members.map((m) => m.index);
      progress('reserve');
      const r1 = await this.phase(realm, 'Register1', Phase.REGISTER1, userId, all, () => new Uint8Array(0),
        pb.Register1Reply, flagged);
      const ok = [...r1.values()].filter((r) => r.status === ReplyStatus.OK);
      if (ok.length < realm.t) throw new Unavailable('only ' + ok.length + ' of ' + realm.n + ' vault members answered');
      const rv = 1 + Math.max(...ok.map((r) => r.current_version));
      if (rv > MAX_RECORD_VERSION) throw new Error('the next record version would exceed MAX_RECORD_VERSION');
      progress('stretch');
      const salt = randomBytes(32);
      const pPrime = await input.stretch(salt, pinParams, realm);
      progress('seal');
      const extra = input.register2Extra ? input.register2Extra() : {};
      const result = await this.register2(realm, userId, rv, salt, pPrime, secret, guessLimit, pinParams, flagged, extra);
      wipe(pPrime);
      if (result.registered) return { recordVersion: rv, guessLimit };
      if (!result.stale || attempt >= REGISTER_CONFLICT_RETRIES) {
        throw new Unavailable(result.stale ? 'another registration of this user raced this one; try again'
          : 'not enough vault members stored the backup');
      }
    }
  }

  async register2(realm, userId, rv, salt, pPrime, secret, guessLimit, pinParams, flagged, extra) {
    const { n, t } = realm;
    const g = [c.randomScalar()];
    const f = [c.randomScalar()];
    for (let j = 1; j < t; j++) {
      g.push(c.randomScalar());
      f.push(c.randomScalar());
    }
    const y = c.oprfEvaluate(g[0], pPrime);
    const { unlockKey, maskKey } = c.keysFromY(y);
    const dataKey = c.scalarBytes(f[0]);
    const secretCt = await c.sealSecret(dataKey, userId, rv, secret);
    const commitments = [];
    for (let i = 1; i <= n; i++) commitments.push(c.elementBytes(c.baseTimes(c.polyEval(g, i))));
    const all = realm.members.map((m) => m.index);
    const replies = await this.phase(realm, 'Register2', Phase.REGISTER2, userId, all, (i) => {
      const ki = c.scalarBytes(c.polyEval(g, i));
      const di = c.scalarBytes(c.polyEval(f, i));
      const mask = c.shareMask(maskKey, i);
      const payload = pb.encode(pb.Register2Payload, { record_version: rv, threshold: t, members: n, guess_limit: guessLimit,
        pin_params: pinParams, registration_salt: salt, oprf_key_share: ki, commitments, masked_data_share: c.xor(di, mask),
        unlock_tag: c.unlockTag(unlockKey, i), secret_ciphertext: secretCt, ...extra });
      wipe(ki, di, mask);
      return payload;
    }, pb.Register2Reply, flagged);
    wipe(y, unlockKey, maskKey, dataKey);
    g.fill(0n);
    f.fill(0n);
    const stored = [...replies.values()].filter((r) => r.status === ReplyStatus.OK && r.current_version === rv).length;
    const stale = [...replies.values()].some((r) => r.status === ReplyStatus.STALE_VERSION);
    return { registered: stored >= t, stale };
  }

  // ---------------------------------------------------------------- recover (section 9)

  /** Phase 0 only: the agreed registration and its attempts remaining. Spends nothing. */
  async lookup(userId) {
    const realm = await this.session();
    return this.phase0(realm, userId, new Set());
  }

  async phase0(realm, userId, flagged) {
    const all = realm.members.map((m) => m.index);
    const replies = await this.phase(realm, 'Recover0', Phase.RECOVER0, userId, all, () => new Uint8Array(0),
      pb.Recover0Reply, flagged);
    const groups = new Map();
    for (const [i, r] of replies) {
      if (r.status !== ReplyStatus.OK) continue;
      const key = [r.record_version, r.threshold, r.members, r.guess_limit, r.pin_params, toHex(r.registration_salt),
        r.commitments.map(toHex).join(','), toHex(r.passkey_credential_id), r.passkey_rp_id].join('|');
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(i);
    }
    let best = null;
    for (const [, ids] of groups) {
      const r = replies.get(ids[0]);
      if (!best || ids.length > best.ids.length
        || (ids.length === best.ids.length && r.record_version > replies.get(best.ids[0]).record_version)) {
        best = { ids, r };
      }
    }
    const statuses = [...replies.values()].map((r) => r.status);
    const fallback = () => {
      if (statuses.includes(ReplyStatus.NO_GUESSES)) return { kind: 'no-guesses' };
      if (statuses.filter((s) => s === ReplyStatus.NOT_REGISTERED).length >= realm.t) return { kind: 'not-registered' };
      throw new Unavailable('only ' + replies.size + ' of ' + realm.n + ' vault members answered, and they do not agree');
    };
    if (!best || best.ids.length < realm.t) return fallback();
    const r = best.r;
    if (r.members !== realm.n || r.threshold !== realm.t || !(c.PIN_PARAMS[r.pin_params] || r.pin_params === c.PASSKEY_PARAMS)
      || r.registration_salt.length !== 32 || r.commitments.length !== realm.n) return fallback();
    let K;
    try {
      K = r.commitments.map(c.elementFrom);
    } catch {
      return fallback();
    }
    if (!c.commitmentsConsistent(K, realm.t)) return fallback();
    for (const i of replies.keys()) if (!best.ids.includes(i)) flagged.add(i);
    const gens = new Map();
    for (const i of best.ids) gens.set(replies.get(i).generation, (gens.get(replies.get(i).generation) || 0) + 1);
    let generation = 0;
    let count = -1;
    for (const [gv, k] of gens) if (k > count || (k === count && gv > generation)) [generation, count] = [gv, k];
    const remaining = Math.min(...best.ids.map((i) => replies.get(i).guesses_remaining));
    return { kind: 'registered', A: best.ids.sort((a, b) => a - b), recordVersion: r.record_version, guessLimit: r.guess_limit,
      pinParams: r.pin_params, salt: r.registration_salt, commitments: r.commitments, generation, remaining,
      passkeyCredentialId: r.passkey_credential_id, passkeyRpId: r.passkey_rp_id };
  }

  /**
   * One guess: resolves {kind: 'recovered', secret} | {kind: 'wrong', remaining} | {kind: 'no-guesses'} |
   * {kind: 'not-registered'}. {@code input.stretch(salt, pinParams)} gives p'; {@code input.authorize} (optional)
   * adds fields to the phase-1 payload (passkeys).
   */
  async recover(userId, input, progress = () => {}) {
    const realm = await this.session();
    const flagged = new Set();
    let reg = await this.phase0(realm, userId, flagged);
    if (reg.kind !== 'registered') return reg;
    progress('stretch');
    if ((reg.pinParams === c.PASSKEY_PARAMS) !== (input.kind === 'passkey')) {
      throw new Error('this backup is not protected by a ' + input.kind);
    }
    let pPrime = await input.stretch(reg.salt, reg.pinParams, realm, reg);
    let attempt = null;
    try {
      for (let restart = 0; ; restart++) {
        if (!attempt || attempt.recordVersion !== reg.recordVersion || attempt.generation !== reg.generation) {
          wipe(attempt?.blind);
          const { blind, blinded } = c.oprfBlind(pPrime);
          const nonce = randomBytes(32);
          const id = c.attemptId(realm.fleetId, this.appId, userId, reg.recordVersion, reg.generation, blinded, nonce);
          const extra = input.authorize ? await input.authorize({ realm, userId, reg, attemptId: id, blinded, nonce }) : {};
          attempt = { blind, blinded, nonce, id, recordVersion: reg.recordVersion, generation: reg.generation, extra,
            sent: null };
        }
        progress('guess');
        const replies = await this.phase1(realm, userId, reg, attempt, flagged);
        const verified = [];
        let mismatch = false;
        let noGuesses = false;
        let notRegistered = 0;
        const refused = [];
        for (const [i, r] of replies) {
          if (r.status === ReplyStatus.PASSKEY_REFUSED) refused.push({ member: i, remaining: r.guesses_remaining });
          if (r.status === ReplyStatus.OK) {
            const ok = r.evaluated_element.length === 33 && r.proof.length === 64
              && c.verifyMemberProof(pPrime, attempt.blind, attempt.blinded, r.evaluated_element, reg.commitments[i - 1], r.proof);
            if (ok) verified.push({ member: i, Z: r.evaluated_element, remaining: r.guesses_remaining });
            else flagged.add(i);
          } else if (r.status === ReplyStatus.VERSION_MISMATCH) mismatch = true;
          else if (r.status === ReplyStatus.NO_GUESSES) noGuesses = true;
          else if (r.status === ReplyStatus.NOT_REGISTERED) notRegistered++;
        }
        if (verified.length >= realm.t) {
          verified.sort((a, b) => a.member - b.member);
          const y = c.oprfCombine(pPrime, attempt.blind, verified.slice(0, realm.t));
          const remaining = Math.min(...verified.map((v) => v.remaining));
          progress('unlock');
          try {
            return await this.phase2(realm, userId, reg, attempt, y, remaining, flagged);
          } finally {
            wipe(y);
          }
        }
        if (mismatch && !noGuesses && restart < RESTARTS) {
          const before = reg.A.join(',');
          reg = await this.phase0(realm, userId, flagged);
          if (reg.kind !== 'registered') return reg;
          if (reg.A.join(',') !== before) attempt.sent = null; // the same payload, sealed to the new agreeing set
          continue;
        }
        if (noGuesses) return { kind: 'no-guesses' };
        if (notRegistered >= realm.t) return { kind: 'not-registered' };
        if (refused.length > 0) {
          return { kind: 'passkey-refused', members: refused.map((x) => x.member),
            remaining: Math.min(...refused.map((x) => x.remaining)) };
        }
        throw new Unavailable('only ' + verified.length + ' of ' + realm.n
          + ' vault members answered the guess (it may have been counted)');
      }
    } finally {
      wipe(pPrime, attempt?.blind);
    }
  }

  /** Phase 1; the identical request is re-sent once after an edge problem (section 17), never a new one. */
  async phase1(realm, userId, reg, attempt, flagged) {
    if (!attempt.sent) {
      attempt.sent = await this.seal(realm, Phase.RECOVER1, userId, reg.A, () => pb.encode(pb.Recover1Payload, {
        record_version: reg.recordVersion, blinded_element: attempt.blinded, nonce: attempt.nonce,
        generation: reg.generation, ...attempt.extra }));
    }
    const { body, keys } = attempt.sent;
    let answer;
    try {
      answer = await this.transport.call('Recover1', body, this.token);
    } catch (e) {
      if (!(e instanceof EdgeError) || e.code === 'unreachable' || !e.edgeProblem) throw e;
      answer = await this.transport.call('Recover1', body, this.token); // the very same bytes
    }
    return this.open(realm, Phase.RECOVER1, userId, answer, keys, pb.Recover1Reply, flagged);
  }

  async phase2(realm, userId, reg, attempt, y, remaining, flagged) {
    const { unlockKey, maskKey } = c.keysFromY(y);
    const req = await this.seal(realm, Phase.RECOVER2, userId, reg.A, (i) => pb.encode(pb.Recover2Payload, {
      record_version: reg.recordVersion, attempt_id: attempt.id, unlock_tag: c.unlockTag(unlockKey, i) }));
    let answer;
    try {
      answer = await this.transport.call('Recover2', req.body, this.token);
    } catch (e) {
      if (!(e instanceof EdgeError) || !e.edgeProblem) throw e;
      answer = await this.transport.call('Recover2', req.body, this.token); // spends nothing more
    }
    const replies = await this.open(realm, Phase.RECOVER2, userId, answer, req.keys, pb.Recover2Reply, flagged);
    const shares = [];
    let wrong = false;
    let minRemaining = remaining;
    let noGuesses = false;
    let notRegistered = 0;
    for (const [i, r] of replies) {
      if (r.status === ReplyStatus.OK && r.masked_data_share.length === 32) {
        const mask = c.shareMask(maskKey, i);
        const d = c.xor(r.masked_data_share, mask);
        wipe(mask);
        try {
          shares.push({ member: i, d: c.scalarFrom(d), ct: r.secret_ciphertext });
        } catch {
          flagged.add(i);
        }
        wipe(d);
      } else if (r.status === ReplyStatus.WRONG_TAG) {
        wrong = true;
        minRemaining = Math.min(minRemaining, r.guesses_remaining);
      } else if (r.status === ReplyStatus.NO_GUESSES) noGuesses = true;
      else if (r.status === ReplyStatus.NOT_REGISTERED) notRegistered++;
    }
    wipe(unlockKey, maskKey);
    if (shares.length >= realm.t) {
      const secret = await this.rebuild(userId, reg.recordVersion, shares, realm.t);
      if (secret) return { kind: 'recovered', secret, guessLimit: reg.guessLimit };
    }
    if (wrong) return { kind: 'wrong', remaining: minRemaining };
    if (noGuesses) return { kind: 'no-guesses' };
    if (notRegistered >= realm.t) return { kind: 'not-registered' };
    throw new Unavailable('only ' + shares.length + ' of ' + realm.n + ' vault members released their part');
  }

  /** t-subsets in lexicographic order (at most 256), each distinct ciphertext most frequent first. */
  async rebuild(userId, rv, shares, t) {
    shares.sort((a, b) => a.member - b.member);
    const counts = new Map();
    for (const s of shares) counts.set(toHex(s.ct), (counts.get(toHex(s.ct)) || 0) + 1);
    const cts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([h]) => shares.find((s) => toHex(s.ct) === h).ct);
    let tried = 0;
    for (const subset of subsets(shares, t)) {
      if (tried++ >= 256) break;
      const lambdas = c.lagrangeAtZero(subset.map((s) => s.member));
      let d = 0n;
      subset.forEach((s, k) => {
        d = (d + lambdas[k] * s.d) % c.ORDER;
      });
      const key = c.scalarBytes(d);
      for (const ct of cts) {
        const secret = await c.openSecret(key, userId, rv, ct);
        if (secret) {
          wipe(key);
          return secret;
        }
      }
      wipe(key);
    }
    return null;
  }

  // ---------------------------------------------------------------- delete (section 12)

  async delete(userId) {
    const realm = await this.session();
    const all = realm.members.map((m) => m.index);
    const replies = await this.phase(realm, 'Delete', Phase.DELETE, userId, all, () => new Uint8Array(0),
      pb.DeleteReply, new Set());
    const confirmed = [...replies.entries()].filter(([, r]) => r.status === ReplyStatus.OK).map(([i]) => i);
    if (confirmed.length < realm.t) throw new Unavailable('only ' + confirmed.length + ' vault members confirmed the deletion');
    return { confirmed };
  }
}

function* subsets(items, k, start = 0, acc = []) {
  if (acc.length === k) {
    yield acc.slice();
    return;
  }
  for (let i = start; i < items.length; i++) {
    acc.push(items[i]);
    yield* subsets(items, k, i + 1, acc);
    acc.pop();
  }
}

/** The PIN as an OPRF input: p' = Argon2id(PIN, pin_salt) (6.1). */
export function pinInput(pin, userId, onProgress) {
  return {
    kind: 'pin',
    stretch: (salt, pinParams, realm) => c.stretchPin(pin, userId, realm.fleetId, pinParams, salt, onProgress),
  };
}

export { concat, ctEqual, utf8 };
