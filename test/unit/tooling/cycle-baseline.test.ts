/**
 * Issue 18 removed every import cycle (the Session hub, EngineDeps in engine.ts); the baseline
 * of tolerated cycles stays empty, so `--update-known` cannot quietly record a new one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('known-cycles baseline', () => {
  it('is empty: the repo tolerates no import cycle', () => {
    const known = JSON.parse(readFileSync(new URL('../../../.dependency-cruiser-known-violations.json', import.meta.url), 'utf8')) as unknown[];
    expect(known).toEqual([]);
  });
});
