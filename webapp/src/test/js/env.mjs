// Where the published vectors are (../shared/vectors beside the project, or FLEETVAULT_VECTORS): a missing directory
// skips the vector tests loudly, and fails them when CI=true (like the Java TestEnvironment).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export function vectorsDir() {
  const dir = process.env.FLEETVAULT_VECTORS || resolve(projectRoot, '../shared/vectors');
  if (existsSync(dir)) return dir;
  const msg = 'published test vectors not found at ' + dir;
  if (process.env.CI === 'true') throw new Error(msg + ' (CI=true: vectors are required)');
  console.warn('SKIPPED: ' + msg);
  return null;
}

export function readVector(rel) {
  const dir = vectorsDir();
  return dir ? readFileSync(resolve(dir, rel), 'utf8') : null;
}

export const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b) => Buffer.from(b).toString('hex');
