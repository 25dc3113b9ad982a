import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../../../core/errors.js';
import { ImportSlots } from '../../../../core/vault/import-slots.js';

const settled = () => new Promise((r) => setTimeout(r, 0));

describe('ImportSlots', () => {
  it('gives out `size` slots at once, then one per release, first come first served', async () => {
    const slots = new ImportSlots(2);
    const order: string[] = [];
    const got = (name: string) => (release: () => void) => { order.push(name); return release; };
    const a = await slots.take().then(got('a'));
    const b = await slots.take().then(got('b'));
    const c = slots.take().then(got('c'));
    const d = slots.take().then(got('d'));
    await settled();
    expect(order).toEqual(['a', 'b']);
    b();
    await settled();
    expect(order).toEqual(['a', 'b', 'c']);
    a();
    (await c)();
    (await d)();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    (await slots.take().then(got('e')))(); // all released: a slot is free at once
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('an abort while waiting leaves the queue with CANCELLED; the next in line still gets its turn', async () => {
    const slots = new ImportSlots(1);
    const first = await slots.take();
    const ctl = new AbortController();
    const cancelled = slots.take(ctl.signal);
    const third = slots.take();
    ctl.abort();
    const err = await cancelled.then(() => null, (e: unknown) => e);
    expect(isVaultError(err, 'CANCELLED')).toBe(true);
    first();
    (await third)();
  });

  it('an abort after the turn came (the import then stops by itself) leaves the queue as it is', async () => {
    const slots = new ImportSlots(1);
    const first = await slots.take();
    const ctl = new AbortController();
    const second = slots.take(ctl.signal);
    let thirdStarted = false;
    const third = slots.take().then((r) => { thirdStarted = true; return r; });
    first();
    const releaseSecond = await second;
    ctl.abort();
    releaseSecond();
    (await third)();
    expect(thirdStarted).toBe(true);
  });

  it('an already aborted signal is refused at once', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const err = await new ImportSlots(2).take(ctl.signal).then(() => null, (e: unknown) => e);
    expect(isVaultError(err, 'CANCELLED')).toBe(true);
  });
});
