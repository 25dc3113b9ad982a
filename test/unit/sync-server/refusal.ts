/** The Refusal `fn` throws (the relay's typed answer); anything else, or nothing, fails the test. */
import { Refusal } from '../../../sync-server/access.js';

export function refusal(fn: () => unknown): Refusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error('expected a Refusal');
}
