/**
 * Vitest config for `npm run mutation` only (stryker.config.json): the fast, pure unit tests of the
 * modules under mutation, nothing that opens a socket, a browser or a database server. Stryker runs
 * per mutant only the tests that covered it (coverageAnalysis perTest).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: [
      'test/unit/protocol/**/*.test.ts',
      'test/unit/sync-server/**/*.test.ts',
      'test/unit/core/roster-verify.test.ts',
      'test/unit/core/membership-write-epochs.test.ts',
      'test/unit/core/code-authors.test.ts',
      'test/unit/core/membership-rules.test.ts',
      'test/unit/core/access-code-parse.test.ts',
      'test/unit/core/vectors.test.ts',
      'test/unit/core/crypto/**/*.test.ts',
      'test/unit/core/model/**/*.test.ts',
      'test/unit/share/**/*.test.ts',
      'test/unit/sync/membership.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
