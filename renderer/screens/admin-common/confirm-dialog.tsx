/** A modal confirmation for destructive acts (block, rotate, revoke, remove). Escape cancels; `children` (e.g. an option checkbox) sit between message and buttons. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmDialog(props: { message: string; confirmLabel: string; onConfirm(): void; onCancel(): void; children?: ReactNode }) {
  const { t } = useTranslation();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const onCancel = useRef(props.onCancel);
  onCancel.current = props.onCancel;
  useEffect(() => {
    cancelRef.current?.focus(); // the safe choice has the focus
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-label={props.confirmLabel}>
        <p>{props.message}</p>
        {props.children}
        <div className="row-end">
          <button type="button" ref={cancelRef} onClick={props.onCancel}>
            {t('admin.cancel')}
          </button>
          <button type="button" className="danger" onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
