/**
 * The one modal dialog of the app (confirmations, history, preview): Escape cancels, Tab and
 * Shift+Tab stay inside it (focus trap), the first control named in `initialFocus` (else the
 * first focusable one) gets the focus, and the focus returns where it was when it closes.
 * The app's toolbar sits above every backdrop (styles.css), so Lock stays reachable.
 */
import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  /** 'alertdialog' for confirmations of something that cannot be undone. */
  role?: 'dialog' | 'alertdialog';
  /** Accessible name (aria-label) when no visible heading names the dialog… */
  label?: string;
  /** …or the id of the heading that does. */
  labelledBy?: string;
  className?: string;
  onCancel(): void;
  children: ReactNode;
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.offsetParent !== null || e === document.activeElement);
}

export function Dialog({ role = 'dialog', label, labelledBy, className, onCancel, children }: DialogProps) {
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const root = box.current!;
    if (!root.contains(document.activeElement)) (root.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(root)[0] ?? root).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        cancel.current();
      } else if (e.key === 'Tab') {
        const all = focusables(root);
        if (all.length === 0) return e.preventDefault();
        const first = all[0]!;
        const last = all[all.length - 1]!;
        const inside = root.contains(document.activeElement);
        if (e.shiftKey && (!inside || document.activeElement === first)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      if (before && before.isConnected) before.focus();
    };
  }, []);
  return (
    <div className="dialog-backdrop">
      <div ref={box} className={className ? `dialog ${className}` : 'dialog'} role={role} aria-modal="true" aria-label={label} aria-labelledby={labelledBy} tabIndex={-1}>
        {children}
      </div>
    </div>
  );
}
