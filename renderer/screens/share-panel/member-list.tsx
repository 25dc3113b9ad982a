/**
 * Members of a share with names, roles and safety numbers; add, change role, block (owner/admin
 * only). A new member is picked by name from the verified team roster (active colleagues not yet
 * in the share), never typed as an account id: the core wraps the share key to the roster's keys.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, NewAccessCode, Role, VaultApi } from '../../../core/vault-api.js';
import { loadTeam, useTeam } from '../../state/team-store.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { fingerprintRows } from './fingerprint-format.js';
import { NewCodeView } from './new-code-view.js';

const ROLES: Role[] = ['admin', 'editor', 'viewer'];

export function MemberList({ vault, share, canManage }: { vault: VaultApi; share: string; canManage: boolean }) {
  const { t } = useTranslation();
  const load = useAction();
  const action = useAction({ keep: true }); // an act's failure stays until dismissed, even after the list reloads
  const [members, setMembers] = useState<Member[]>([]);
  const [blocking, setBlocking] = useState<Member | null>(null);
  const [rotated, setRotated] = useState<NewAccessCode[]>([]);
  const [account, setAccount] = useState('');
  const [role, setRole] = useState<Role>('editor');

  const people = useTeam((s) => s.people);
  const reload = useCallback(() => load.load(async () => setMembers(await vault.members(share))), [vault, share]);
  useEffect(() => void reload(), [reload]);
  useEffect(() => void loadTeam(), [vault]);
  const inShare = new Set(members.map((m) => m.account));
  const candidates = people.filter((p) => p.active && !p.you && !inShare.has(p.account));

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!account) return;
    const ok = await action.run(async () => {
      await vault.addMember(share, account, role);
      return true;
    });
    if (ok) setAccount('');
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
              <strong>{m.label}</strong> {m.isMe && <span className="badge">{t('person.you')}</span>} {m.blocked && <span className="badge">{t('share.blocked')}</span>}
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
      {canManage && candidates.length === 0 && <p className="muted small">{t('share.nobodyToAdd')}</p>}
      {canManage && candidates.length > 0 && (
        <form className="row" onSubmit={add}>
          <label className="grow">
            {t('share.person')}
            <select aria-label={t('share.person')} value={account} onChange={(e) => setAccount(e.target.value)} required>
              <option value="">{t('share.choosePerson')}</option>
              {candidates.map((p) => <option key={p.account} value={p.account}>{p.name}</option>)}
            </select>
          </label>
          <label>
            {t('share.role')}
            <select aria-label={t('share.role')} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => <option key={r} value={r}>{t(`share.role.${r}`)}</option>)}
            </select>
          </label>
          <button type="submit" disabled={action.busy || !account}>{t('share.addMember')}</button>
        </form>
      )}
      <ErrorLine code={load.error} />
      <ErrorLine code={action.error} onDismiss={action.clear} />
      {blocking && (
        <ConfirmDialog message={t('share.blockConfirm', { name: blocking.label })} confirmLabel={t('share.block')} onConfirm={() => void block()} onCancel={() => setBlocking(null)} />
      )}
    </section>
  );
}
