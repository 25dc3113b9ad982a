/**
 * Safety numbers (Signal style): 60 digits in 12 groups of 5 that two people compare out of
 * band to check a member's keys. Input: version ‖ account id ‖ box pk ‖ sign pk; hashed with
 * SHA-512 5200 times (each round: hash(previous ‖ input)); the first 60 bytes, as 12 blocks of
 * 5 bytes, each read as a 40-bit big-endian number mod 100000.
 */
import { concatBytes, utf8 } from '../encoding.js';
import { idBytes, type AccountId } from '../ids.js';
import { sha512 } from '../crypto/hash.js';
import type { BoxPublicKey, SignPublicKey } from '../crypto/key-types.js';

export const FINGERPRINT_ITERATIONS = 5200;

/** `12345 67890 …` (12 groups of 5 digits, space separated). */
export function safetyNumber(account: AccountId, boxPk: BoxPublicKey, signPk: SignPublicKey): string {
  const input = concatBytes(utf8('truhe/fingerprint/v1'), idBytes(account), boxPk, signPk);
  let h = input;
  for (let i = 0; i < FINGERPRINT_ITERATIONS; i++) h = sha512(concatBytes(h, input));
  const groups: string[] = [];
  for (let g = 0; g < 12; g++) {
    let n = 0;
    for (let b = 0; b < 5; b++) n = n * 256 + h[g * 5 + b]!;
    groups.push(String(n % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}
