/**
 * One lazily built zxcvbn-ts checker with the common and English dictionaries (local, no CDN).
 * The dictionaries are large, so they are a separate chunk loaded only when the create-team
 * screen first needs a score (`usePasswordScore`); until then the score is null.
 */
import { useEffect, useState } from 'react';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

let checker: Promise<ZxcvbnFactory> | null = null;

function load(): Promise<ZxcvbnFactory> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')])
    .then(([core, common, english]) => new core.ZxcvbnFactory({
      translations: english.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...english.dictionary },
    }));
  return checker;
}

export interface PasswordScore {
  /** 0–4 */
  score: number;
  warning: string | null;
}

/** zxcvbn verdict on `password` (loads the checker if needed). */
export async function passwordScore(password: string): Promise<PasswordScore> {
  const r = (await load()).check(password);
  return { score: r.score, warning: r.feedback.warning };
}

/** zxcvbn verdict on `password`; null while the checker loads or for an empty password. */
export function usePasswordScore(password: string): PasswordScore | null {
  const [got, setGot] = useState<{ pw: string; v: PasswordScore } | null>(null);
  useEffect(() => {
    if (!password) return;
    let live = true;
    void passwordScore(password).then((v) => { if (live) setGot({ pw: password, v }); });
    return () => { live = false; };
  }, [password]);
  return password && got?.pw === password ? got.v : null;
}
