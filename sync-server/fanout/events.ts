/**
 * Fan-out between relay instances: what one instance did that sessions held by the others must
 * see — a `changed`/`log` notice, or sessions to close (rotated/revoked code, blocked member,
 * wiped device, deleted account or share). Events carry only opaque random ids and numbers,
 * never content. Each instance applies an event to its own SessionRegistry with applyEvent();
 * broadcast() does that locally and publishes it to the others (after the change committed).
 */
import type { Logger } from 'pino';
import type { RosterEntry } from '../../protocol/index.js';
import type { SessionRegistry, Session } from '../session.js';

export type FanoutEvent =
  | { t: 'changed'; team: string; share: string; seq: number }
  /** A membership log append: codes removed (close 4002/4003), members blocked (4005), members set (gain the share), then a `log` notice. */
  | { t: 'log'; team: string; share: string; index: number; codes: [code: string, reason: 'rotated' | 'revoked'][]; blocked: string[]; members: string[]; notice: boolean }
  /** The roster grew: a notice to every device of the team, removed members closed (4012), revoked devices sent their signed order. */
  | { t: 'roster'; team: string; length: number; removed: string[]; revoked: { device: string; order: RosterEntry }[] }
  /** A join request waits: admins' devices are told. */
  | { t: 'joinrequest'; team: string }
  | { t: 'account.deleted'; team: string; account: string }
  | { t: 'share.deleted'; team: string; share: string };

export interface FanoutHandlers {
  event(e: FanoutEvent): void;
  /** Events may have been missed (the listener lost its connection): the relay re-syncs its sessions. */
  gap(): void;
}

export interface Fanout {
  /** Delivers `e` to every other instance (not back to this one). Call only after the change committed. */
  publish(e: FanoutEvent): Promise<void>;
  start(h: FanoutHandlers): Promise<void>;
  /** False while the listener is disconnected. */
  healthy(): boolean;
  close(): Promise<void>;
}

/** Applies an event to this instance's sessions; `skip` is the session that caused it (no `changed` echo). */
export function applyEvent(reg: SessionRegistry, e: FanoutEvent, skip?: Session): void {
  switch (e.t) {
    case 'changed':
      return reg.notify(e.team, e.share, { type: 'changed', share: e.share, seq: e.seq }, skip);
    case 'log': {
      for (const [code, reason] of e.codes) {
        const [n, why] = reason === 'rotated' ? [4002, 'code rotated'] : [4003, 'code revoked'];
        reg.closeWhere(e.team, (x) => x.as?.kind === 'code' && x.as.code === code, n, why);
      }
      for (const a of e.blocked) reg.closeWhere(e.team, (x) => x.account === a, 4005, 'member blocked');
      const set = new Set(e.members);
      for (const x of reg.of(e.team)) if (x.as?.kind === 'device' && set.has(x.as.account)) x.shares.add(e.share);
      if (e.notice) reg.notify(e.team, e.share, { type: 'log', share: e.share, index: e.index });
      return;
    }
    case 'roster': {
      const removed = new Set(e.removed);
      reg.closeWhere(e.team, (x) => x.account !== null && removed.has(x.account), 4012, 'removed from the team');
      for (const r of e.revoked) for (const x of reg.of(e.team)) if (x.as?.kind === 'device' && x.as.device === r.device) x.wipe(r.order);
      for (const x of reg.of(e.team)) if (x.as?.kind === 'device' || x.as?.kind === 'account') x.send({ type: 'roster', length: e.length });
      return;
    }
    case 'joinrequest':
      for (const x of reg.of(e.team)) if (x.as?.kind === 'device' && (x.as.team === 'owner' || x.as.team === 'admin')) x.send({ type: 'joinrequest' });
      return;
    case 'account.deleted':
      reg.closeWhere(e.team, (x) => x.account === e.account, 4009, 'account deleted');
      return;
    case 'share.deleted':
      reg.closeWhere(e.team, (x) => x.as?.kind === 'code' && x.as.share === e.share, 4010, 'share deleted');
      for (const x of reg.of(e.team)) x.shares.delete(e.share);
  }
}

/** Applies locally, then publishes (a publish failure is logged: the change itself committed). */
export function broadcast(ctx: { registry: SessionRegistry; fanout?: Fanout | undefined; log: Logger }, e: FanoutEvent, skip?: Session): void {
  applyEvent(ctx.registry, e, skip);
  ctx.fanout?.publish(e).catch((err: unknown) => {
    ctx.log.warn({ event: 'fanout_publish_failed', kind: e.t, err: { code: (err as { code?: unknown })?.code } }, 'fan-out publish failed');
  });
}

/**
 * Splits an event whose JSON would exceed `maxBytes` (PostgreSQL NOTIFY payloads stop at 8000
 * bytes) into several; only the last piece of a log event sends the `log` notice.
 */
export function splitEvent(e: FanoutEvent, maxBytes: number, size: (e: FanoutEvent) => number): FanoutEvent[] {
  if (size(e) <= maxBytes || e.t !== 'log') return [e];
  const parts: FanoutEvent[] = [];
  const empty = { ...e, codes: [], blocked: [], members: [], notice: false } as Extract<FanoutEvent, { t: 'log' }>;
  let cur = { ...empty, codes: [...empty.codes], blocked: [...empty.blocked], members: [...empty.members] };
  const push = <K extends 'codes' | 'blocked' | 'members'>(k: K, v: (typeof e)[K][number]) => {
    (cur[k] as unknown[]).push(v);
    if (size(cur) > maxBytes) {
      (cur[k] as unknown[]).pop();
      parts.push(cur);
      cur = { ...empty, codes: [], blocked: [], members: [] };
      (cur[k] as unknown[]).push(v);
    }
  };
  for (const c of e.codes) push('codes', c);
  for (const b of e.blocked) push('blocked', b);
  for (const m of e.members) push('members', m);
  parts.push({ ...cur, notice: e.notice });
  return parts;
}
