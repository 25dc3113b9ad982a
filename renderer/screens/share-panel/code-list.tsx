/** Access codes of a share: create (label, read-only, expiry), rotate, revoke; last use and open sessions per live code. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessCodeInfo, AccessCodeUsage, NewAccessCode, VaultApi } from '../../../core/vault-api.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { parseExpiry } from './fingerprint-format.js';
import { CodeUse } from './code-use.js';
import { NewCodeView } from './new-code-view.js';

type Pending = { kind: 'rotate' | 'revoke'; code: AccessCodeInfo } | null;

export function CodeList({ vault, share, canManage }: { vault: VaultApi; share: string; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const action = useAction();
  const [codes, setCodes] = useState<AccessCodeInfo[]>([]);
  const [created, setCreated] = useState<NewAccessCode | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [label, setLabel] = useState('');
  const [readOnly, setReadOnly] = useState(true);
  const [expiry, setExpiry] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  const [usage, setUsage] = useState<Map<string, AccessCodeUsage> | null>(null);

  // Use is the relay's word and needs a connection: when it cannot be had, the rows just omit it.
  const loadUsage = useCallback(async () => {
    if (!canManage) return;
    const u = await vault.accessCodeUsage(share).catch(() => null);
    setUsage(u && new Map(u.map((x) => [x.id, x])));
  }, [vault, share, canManage]);
  const reload = useCallback(async () => {
    await action.load(async () => setCodes(await vault.accessCodes(share)));
    await loadUsage();
  }, [vault, share, loadUsage]);
  useEffect(() => void reload(), [reload]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const exp = parseExpiry(expiry, Date.now());
    if (exp === 'invalid' || exp === 'past') return setFormError(exp === 'past' ? 'share.expiryPast' : 'share.expiryInvalid');
    setFormError(null);
    const made = await action.run(() => vault.createAccessCode(share, { label: label.trim(), readOnly, expiresAt: exp }));
    if (made) {
      setCreated(made);
      setLabel('');
      setExpiry('');
      await reload();
    }
  };
  const confirm = async () => {
    if (!pending) return;
    const { kind, code } = pending;
    setPending(null);
    if (kind === 'rotate') {
      const made = await action.run(() => vault.rotateAccessCode(share, code.id));
      if (made) setCreated(made);
    } else {
      await action.run(() => vault.revokeAccessCode(share, code.id));
    }
    await reload();
  };
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.language);

  return (
    <section aria-label={t('share.codes')}>
      <div className="row">
        <h3 className="grow">{t('share.codes')}</h3>
        {canManage && codes.length > 0 && <button type="button" onClick={() => void loadUsage()}>{t('share.refreshUse')}</button>}
      </div>
      {created && <NewCodeView created={created} onClose={() => setCreated(null)} />}
      {codes.length === 0 ? <p className="muted">{t('share.noCodes')}</p> : (
        <ul className="list">
          {codes.map((c) => (
            <li key={c.id} className="list-row" data-testid="access-code-row">
              <span className="grow">
                <strong>{c.label || c.id.slice(0, 6)}</strong>{' '}
                <span className="muted">
                  {c.readOnly ? t('share.readOnly') : ''} · {c.expiresAt ? t('share.expires', { date: when(c.expiresAt) }) : t('share.noExpiry')} · {c.live ? t('share.live') : t('share.dead')}
                </span>
                {c.live && usage?.has(c.id) && <CodeUse use={usage.get(c.id)!} />}
              </span>
              {canManage && c.live && (
                <>
                  <button type="button" aria-label={`${t('share.rotate')} ${c.label}`} onClick={() => setPending({ kind: 'rotate', code: c })}>{t('share.rotate')}</button>
                  <button type="button" className="danger" aria-label={`${t('share.revoke')} ${c.label}`} onClick={() => setPending({ kind: 'revoke', code: c })}>{t('share.revoke')}</button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form className="stack" onSubmit={create}>
          <label>
            {t('share.codeLabel')}
            <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} autoComplete="off" />
          </label>
          <label className="check">
            <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
            {t('share.readOnly')}
          </label>
          <label>
            {t('share.expiry')}
            <input type="datetime-local" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
          </label>
          {formError && <p className="error" role="alert">{t(formError)}</p>}
          <button type="submit" disabled={action.busy}>{t('share.createCode')}</button>
        </form>
      )}
      <ErrorLine code={action.error} onDismiss={action.clear} />
      {pending && (
        <ConfirmDialog
          message={t(pending.kind === 'rotate' ? 'share.rotateConfirm' : 'share.revokeConfirm', { label: pending.code.label })}
          confirmLabel={t(pending.kind === 'rotate' ? 'share.rotate' : 'share.revoke')}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(null)}
        />
      )}
    </section>
  );
}
