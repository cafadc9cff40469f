// Passkeys (WebAuthn PRF) as the vault input: completed when the passkey protocol lands.

/** A passkey step that failed, in words. */
export class PasskeyError extends Error {}

export function support() {
  return { ok: false, reason: 'Passkeys are not available in this version of the vault.' };
}

export async function register() {
  throw new PasskeyError('Passkeys are not available in this version of the vault.');
}

export async function recover() {
  throw new PasskeyError('Passkeys are not available in this version of the vault.');
}
