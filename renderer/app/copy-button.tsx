/**
 * "Copy" for a secret: puts the text on the clipboard through the Platform and says, in a live
 * region, that it is cleared again after the timeout (renderer/app/clipboard.ts), then that it was.
 * The timer outlives the screen: leaving it does not wipe what the person may still want to paste;
 * locking the vault (or its ending) clears at once.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { copyThenClear, type CopiedSecret } from './clipboard.js';
import { useServices } from './services.js';
import { useSession } from '../state/session-store.js';

type State = 'idle' | 'copied' | 'cleared' | 'failed';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const { platform, clipboardSeconds } = useServices();
  const [state, setState] = useState<State>('idle');
  const copied = useRef<CopiedSecret | null>(null);
  const copy = async () => {
    try {
      const c = await copyThenClear(platform.clipboard, text, clipboardSeconds);
      copied.current = c;
      // Listens until the clear ran (≤ the timeout), whether or not this button is still shown.
      const off = useSession.subscribe((s) => {
        if (!s.vault) void c.clearNow();
      });
      void c.cleared.then(off);
      setState('copied');
      void c.cleared.then((wasOurs) => {
        if (copied.current === c) setState(wasOurs ? 'cleared' : 'idle');
      });
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()}>{label}</button>
      <span role="status" className="muted" data-copy-state={state}>
        {state === 'copied' && t('copy.copied', { seconds: clipboardSeconds })}
        {state === 'cleared' && t('copy.cleared')}
        {state === 'failed' && t('copy.failed')}
      </span>
    </span>
  );
}
