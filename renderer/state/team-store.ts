/**
 * The team slice: the team as this device verified it from the signed roster (name, my role)
 * and its people with their names — plaintext names, in memory only, dropped on lock.
 *
 * `pending` is true while this account's join waits for a team admin's confirmation
 * (TeamInfo.myRole null): the shell shows "waiting for an admin" instead of the vault and
 * re-checks on every roster change (and every few seconds, in case the confirmation arrives
 * without a change event), so the vault opens by itself once an admin's client confirms.
 */
import { create } from 'zustand';
import { isVaultError, type VaultErrorCode } from '../../core/errors.js';
import type { TeamInfo, TeamPerson, VaultApi } from '../../core/vault-api.js';
import { onLock, useSession } from './session-store.js';

interface TeamState {
  info: TeamInfo | null;
  people: TeamPerson[];
  pending: boolean;
  /** Why the last load failed (shown on the Team screen), null when it worked. */
  error: VaultErrorCode | null;
}

const empty: TeamState = { info: null, people: [], pending: false, error: null };
export const useTeam = create<TeamState>()(() => ({ ...empty }));

/** How often a waiting invitee re-checks the roster without a change event (ms). */
const PENDING_RECHECK_MS = 3000;
let generation = 0;
onLock(() => {
  generation++;
  useTeam.setState({ ...empty });
});

/** Reloads team and people from the open vault; the latest call wins. Never throws. */
export async function loadTeam(): Promise<void> {
  const { vault, isGuest } = useSession.getState();
  if (!vault || isGuest) return;
  const mine = ++generation;
  const current = () => mine === generation && useSession.getState().vault === vault;
  try {
    const info = await vault.team();
    const people = info.myRole === null ? [] : await vault.people();
    if (current()) useTeam.setState({ info, people, pending: info.myRole === null, error: null });
  } catch (e) {
    if (!current()) return;
    const code = isVaultError(e) ? e.code : 'INTERNAL';
    if (!isVaultError(e)) console.error(e);
    // JOIN_PENDING: the core refuses team reads until the join is confirmed — that is the waiting state.
    useTeam.setState(code === 'JOIN_PENDING' ? { pending: true, error: null } : { error: code });
  }
}

/** Loads the team now and keeps it fresh while `vault` is open (guests have no team). Returns the unsubscribe. */
export function watchTeam(vault: VaultApi): () => void {
  if (useSession.getState().isGuest) return () => undefined;
  void loadTeam();
  const off = vault.onChange((share) => { if (share === '') void loadTeam(); }); // '' = the roster changed; an item change leaves the team as it is
  // devices' names and last-seen days come from the relay: load them again once it answers
  let connection = '';
  const offStatus = vault.onStatus((st) => {
    if (st.connection === 'online' && connection !== 'online') void loadTeam();
    connection = st.connection;
  });
  const timer = setInterval(() => {
    if (useTeam.getState().pending) void loadTeam();
  }, PENDING_RECHECK_MS);
  return () => {
    off();
    offStatus();
    clearInterval(timer);
  };
}

/** The name of an account from the verified roster, or null when the roster has no such person. */
export function personName(people: TeamPerson[], account: string): string | null {
  return people.find((p) => p.account === account)?.name || null;
}
