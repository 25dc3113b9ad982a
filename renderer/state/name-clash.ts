/**
 * The same-name question of an import ("report.pdf" already exists in this share): the import
 * waits on askNameClash() while NameClashDialog shows it. Lock answers "cancel" for all.
 */
import { create } from 'zustand';
import { onLock } from './session-store.js';

export type ClashChoice = 'replace' | 'keep' | 'cancel';
export interface ClashAnswer {
  choice: ClashChoice;
  /** Apply the same choice to the other files of this import that also clash. */
  all: boolean;
}
export interface ClashQuestion {
  name: string;
  /** Other files of this import that also have a same-named file in the share. */
  others: number;
  answer(a: ClashAnswer): void;
}

export const useNameClash = create<{ ask: ClashQuestion | null }>()(() => ({ ask: null }));

let queue: Promise<unknown> = Promise.resolve();
/** Bumped on lock: questions still queued from before are answered "cancel" without showing. */
let generation = 0;

/** Shows the question for `name` (after any question already showing); resolves with the user's answer. */
export function askNameClash(name: string, others: number): Promise<ClashAnswer> {
  const gen = generation;
  const p = queue.then(() => new Promise<ClashAnswer>((resolve) => {
    if (gen !== generation) return resolve({ choice: 'cancel', all: true });
    useNameClash.setState({
      ask: { name, others, answer: (a) => { useNameClash.setState({ ask: null }); resolve(a); } },
    });
  }));
  queue = p;
  return p;
}

onLock(() => {
  generation++;
  useNameClash.getState().ask?.answer({ choice: 'cancel', all: true });
});
