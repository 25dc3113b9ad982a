/**
 * THE confirmation of the app (delete, block, rotate, revoke, remove), on the one Dialog
 * (renderer/app/dialog.tsx): Escape cancels, focus trapped, the safe choice (Cancel) has the
 * focus, both buttons say what they do. `children` (e.g. an option checkbox) sit between the
 * message and the buttons.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../app/dialog.js';

export function ConfirmDialog(props: { message: string; confirmLabel: string; title?: string; cancelLabel?: string; tone?: 'danger' | 'primary'; onConfirm(): void; onCancel(): void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Dialog role="alertdialog" label={props.title ?? props.confirmLabel} className="confirm" onCancel={props.onCancel}>
      {props.title && <h2 className="dialog-title">{props.title}</h2>}
      <p>{props.message}</p>
      {props.children}
      <div className="row-end">
        <button type="button" data-autofocus onClick={props.onCancel}>
          {props.cancelLabel ?? t('admin.cancel')}
        </button>
        <button type="button" className={props.tone === 'primary' ? 'primary' : 'danger solid'} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
