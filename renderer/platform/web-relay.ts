/**
 * The web client's relay choice (Platform.relay), free of the DOM so it is unit-tested. The
 * relay in use is `?relay=` when the page was opened with one (tests, `npm start`), else the
 * saved setting, else the loopback default (renderer/app/relay-choice.ts). A change of origin
 * needs the person's confirmation naming the host (protocol/relay-url.ts); a confirmed relay that
 * answers is saved and the `?relay=` override dropped, so it takes effect for the next connection.
 */
import { VaultError } from '../../core/errors.js';
import { checkRelayUrlPolicy, relaySwitchNeedsConfirmation, type AcceptedRelayUrl } from '../../protocol/relay-url.js';
import { chooseRelay } from '../app/relay-choice.js';
import type { Platform } from './platform.js';

export interface WebRelayDeps {
  search(): string;
  saved(): string | null;
  save(url: string): void;
  dropQueryRelay(): void;
  /** Shows the question; true when the person confirmed. */
  confirm(relay: AcceptedRelayUrl): boolean;
  /**
   * Checks the relay (the launcher's hello → challenge, or one WebSocket that opens); false when
   * it cannot be reached from this page. A typed VaultError it throws (NOT_A_RELAY, …) is passed on.
   */
  probe(url: string): Promise<boolean>;
}

export function createWebRelay(deps: WebRelayDeps): Platform['relay'] {
  const current = () => chooseRelay(deps.search(), deps.saved());
  return {
    current: async () => current(),
    async choose(url) {
      const v = checkRelayUrlPolicy(url);
      if (!v.ok) throw new VaultError(v.code, `chooseRelay: ${v.reason}`);
      const now = current();
      if (now === v.relay.url) return 'unchanged';
      if (relaySwitchNeedsConfirmation(now, v.relay) && !deps.confirm(v.relay)) return 'declined';
      // Only after the person agreed does the page contact the new host.
      if (!(await deps.probe(v.relay.url))) throw new VaultError('RELAY_UNREACHABLE', `chooseRelay: no relay answers at ${v.relay.host} (or this page's CSP does not allow it)`);
      deps.save(v.relay.url);
      deps.dropQueryRelay();
      return 'switched';
    },
  };
}
