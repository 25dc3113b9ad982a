/** Members of a share with roles and safety numbers; add, change role, block (owner/admin only). */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, NewAccessCode, Role, VaultApi } from '../../../core/vault-api.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { fingerprintRows } from './fingerprint-format.js';
import { NewCodeView } from './new-code-view.js';

const ROLES: Role[] = ['admin', 'editor', 'viewer'];

export function MemberList({ vault, share, canManage }: { vault: VaultApi; share: string; canManage: boolean }) {
  const { t } = useTranslation();
  const action = useAction();
  const [members, setMembers] = useState<Member[]>([]);
  const [blocking, setBlocking] = useState<Member | null>(null);
  const [rotated, setRotated] = useState<NewAccessCode[]>([]);
  const [account, setAccount] = useState('');
  const [role, setRole] = useState<Role>('editor');

  const reload = useCallback(() => action.load(async () => setMembers(await vault.members(share))), [vault, share]);
  useEffect(() => void reload(), [reload]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!account.trim()) return;
    const added = await action.run(async () => { await vault.addMember(share, account.trim(), role); return true; });
    if (added) setAccount(''); // a failed add keeps what was typed, next to the error
    await reload();
  };
  const changeRole = async (m: Member, next: Role) => {
    await action.run(() => vault.setRole(share, m.account, next));
    await reload();
  };
  const block = async () => {
    const m = blocking;
    setBlocking(null);
    if (!m) return;
    const r = await action.run(() => vault.blockMember(share, m.account));
    if (r) setRotated(r.rotatedCodes);
    await reload();
  };

  return (
    <section aria-label={t('share.members')}>
      <h3>{t('share.members')}</h3>
      <p className="muted">{t('share.fingerprintHint')}</p>
      {rotated.length > 0 && (
        <div role="status" data-testid="rotated-after-block">
          <p>{t('share.codesRotatedOnBlock', { count: rotated.length })}</p>
          {rotated.map((c) => <NewCodeView key={c.info.id} created={c} onClose={() => setRotated((l) => l.filter((x) => x !== c))} />)}
        </div>
      )}
      <ul className="list">
        {members.map((m) => (
          <li key={m.account} className="list-row" data-testid="member-row">
            <span className="grow">
              <strong>{m.label}</strong> {m.blocked && <span className="badge">{t('share.blocked')}</span>}
              <span className="fingerprint" aria-label={t('share.fingerprint', { name: m.label })}>
                {fingerprintRows(m.fingerprint).map((row) => <span key={row}>{row}</span>)}
              </span>
            </span>
            {canManage && m.role !== 'owner' && !m.blocked ? (
              <>
                <select aria-label={t('share.changeRole', { name: m.label })} value={m.role} onChange={(e) => void changeRole(m, e.target.value as Role)}>
                  {ROLES.map((r) => <option key={r} value={r}>{t(`share.role.${r}`)}</option>)}
                </select>
                <button type="button" className="danger" aria-label={`${t('share.block')} ${m.label}`} onClick={() => setBlocking(m)}>{t('share.block')}</button>
              </>
            ) : (
              <span>{t(`share.role.${m.role}`)}</span>
            )}
          </li>
        ))}
      </ul>
      {canManage && (
        <form className="row" onSubmit={add}>
          <label className="grow">
            {t('share.accountId')}
            <input value={account} onChange={(e) => setAccount(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <label>
            {t('share.role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => <option key={r} value={r}>{t(`share.role.${r}`)}</option>)}
            </select>
          </label>
          <button type="submit" disabled={action.busy}>{t('share.addMember')}</button>
        </form>
      )}
      <ErrorLine code={action.error} onDismiss={action.clear} />
      {blocking && (
        <ConfirmDialog message={t('share.blockConfirm', { name: blocking.label })} confirmLabel={t('share.block')} onConfirm={() => void block()} onCancel={() => setBlocking(null)} />
      )}
    </section>
  );
}
