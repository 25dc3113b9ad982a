/**
 * Record authors that are access codes (core/share/authors.ts): a code may write at an epoch only
 * if it is read-write, was created at or before that epoch, and was not rotated/revoked by then.
 */
import { describe, expect, it } from 'vitest';
import { checkCodeAuthor, codeMayWrite } from '../../../core/share/authors.js';
import type { CodeState, ShareState } from '../../../core/vault/membership.js';
import { expectCode } from './helpers.js';

const code = (over: Partial<CodeState> = {}): CodeState => ({ code: 'c1', verifierPk: 'v', readOnly: false, expiresAt: null, live: true, fromEpoch: 2, ...over });
const share = (c?: CodeState) => ({ share: 'sh1', codes: new Map(c ? [[c.code, c]] : []) }) as unknown as ShareState;

describe('code authors', () => {
  it('a read-write code writes from its first epoch on while it lives', () => {
    expect([1, 2, 3, 100].map((e) => codeMayWrite(code(), e))).toEqual([false, true, true, true]);
  });
  it('until its rotation/revocation epoch (exclusive)', () => {
    expect([2, 3, 4].map((e) => codeMayWrite(code({ untilEpoch: 4 }), e))).toEqual([true, true, false]);
    expect(codeMayWrite(code({ untilEpoch: 2 }), 2)).toBe(false);
  });
  it('never when read-only or unknown', () => {
    expect([2, 3].map((e) => codeMayWrite(code({ readOnly: true }), e))).toEqual([false, false]);
    expect(codeMayWrite(undefined, 2)).toBe(false);
  });
  it('checkCodeAuthor names the code, share and epoch (and says read-only when it is)', async () => {
    expect(() => checkCodeAuthor(share(code()), 'c1', 2)).not.toThrow();
    const late = await expectCode(() => checkCodeAuthor(share(code({ untilEpoch: 3 })), 'c1', 3), 'NOT_ALLOWED');
    expect(late.message).toBe('checkCodeAuthor: code c1 could not write to share sh1 at epoch 3');
    const ro = await expectCode(() => checkCodeAuthor(share(code({ readOnly: true })), 'c1', 2), 'NOT_ALLOWED');
    expect(ro.message).toBe('checkCodeAuthor: code c1 could not write to share sh1 at epoch 2 (read-only)');
    const unknown = await expectCode(() => checkCodeAuthor(share(), 'c9', 2), 'NOT_ALLOWED');
    expect(unknown.message).toBe('checkCodeAuthor: code c9 could not write to share sh1 at epoch 2');
  });
});
