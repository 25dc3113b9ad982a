/**
 * Two check characters for typed access codes (core/model/access-code.ts): a Reed–Solomon style
 * parity over GF(32), one field element per Crockford base32 character.
 *   p = Σ v_i·α^i,  q = Σ v_i·α^(2i)   (α primitive, x^5 + x^2 + 1; positions i < 31)
 * Why this and not a hash: it is provable. Any one wrong character changes p (α^i·e ≠ 0), and
 * any two wrong characters — a swap of two characters included — change p or q (the pair of
 * equations only vanishes when α^i = α^j, i.e. the same position). A hash of 10 bits would let
 * one typo in 1024 through. Pure arithmetic on small numbers; no secret is involved.
 */
const EXP: number[] = [];
const LOG: number[] = new Array(32).fill(0);
for (let i = 0, x = 1; i < 31; i++) {
  EXP.push(x);
  LOG[x] = i;
  x <<= 1;
  if (x & 32) x ^= 0b100101;
}

function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[(LOG[a]! + LOG[b]!) % 31]!;
}

/** Most characters the check covers (data + its two check characters) with distinct powers of α. */
export const CHECK_MAX_CHARS = 31;

/** The two check values (0…31 each) of `values` (each 0…31, at most 29 of them). */
export function checkSymbols(values: readonly number[]): [number, number] {
  if (values.length > CHECK_MAX_CHARS - 2) throw new RangeError('checkSymbols: too many characters');
  let p = 0;
  let q = 0;
  values.forEach((v, i) => {
    p ^= mul(v, EXP[i % 31]!);
    q ^= mul(v, EXP[(2 * i) % 31]!);
  });
  return [p, q];
}
