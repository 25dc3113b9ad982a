/** "What the relay stores about me" (R15): the relay's own answer, readable and raw. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultApi } from '../../../core/vault-api.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return Array.isArray(value) ? `${value.length} ×` : JSON.stringify(value);
  return String(value);
}

export function RelayRecordView({ vault }: { vault: VaultApi }) {
  const { t } = useTranslation();
  const action = useAction();
  const [record, setRecord] = useState<Record<string, unknown> | null>(null);
  return (
    <section aria-label={t('account.relayRecord')}>
      <h3>{t('account.relayRecord')}</h3>
      <button type="button" onClick={() => void action.run(async () => setRecord(await vault.relayRecord()))}>{t('account.relayRecordShow')}</button>
      {record && (
        <>
          <dl className="record" data-testid="relay-record">
            {Object.entries(record).map(([k, v]) => (
              <div key={k}><dt>{k}</dt><dd>{show(v)}</dd></div>
            ))}
          </dl>
          <details>
            <summary>{t('account.raw')}</summary>
            <pre>{JSON.stringify(record, null, 2)}</pre>
          </details>
        </>
      )}
      <ErrorLine code={action.error} onDismiss={action.clear} />
    </section>
  );
}
