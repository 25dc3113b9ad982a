/** The items of the current share: search over decrypted titles (in memory), tag filter, sort. */
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../../core/vault-api.js';
import { selectItem } from '../../state/vault-actions.js';
import { allTags, useVaultData, visibleItems, type SortKey } from '../../state/vault-data.js';

function when(ms: number, lang: string): string {
  return new Date(ms).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' });
}

function Row({ item, selected }: { item: ItemSummary; selected: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <li>
      <button type="button" className={selected ? 'item selected' : 'item'} aria-current={selected ? 'true' : undefined} onClick={() => void selectItem(item.share, item.id)}>
        <span className="item-title">
          <span className={`kind kind-${item.kind}`} aria-label={t(item.kind === 'note' ? 'items.note' : 'items.file')} role="img" />
          {item.title || '—'}
        </span>
        {item.conflictOf && <span className="badge warn">{t('items.conflict')}</span>}
        <span className="muted small">{when(item.updatedAt, i18n.language)} · {item.author}</span>
        {item.tags.length > 0 && <span className="tags small">{item.tags.join(' · ')}</span>}
      </button>
    </li>
  );
}

export function ItemList() {
  const { t } = useTranslation();
  const { items, query, sort, tag, selected } = useVaultData();
  const shown = visibleItems(items, query, tag, sort);
  const tags = allTags(items);
  return (
    <section className="item-list" aria-label={t('items.label')}>
      <div className="filters">
        <input type="search" autoComplete="off" aria-label={t('items.search')} placeholder={t('items.search')} value={query} onChange={(e) => useVaultData.setState({ query: e.target.value })} />
        <label className="inline small">
          {t('items.sort')}
          <select value={sort} onChange={(e) => useVaultData.setState({ sort: e.target.value as SortKey })}>
            <option value="updated">{t('items.sort.updated')}</option>
            <option value="title">{t('items.sort.title')}</option>
            <option value="kind">{t('items.sort.kind')}</option>
          </select>
        </label>
        {tags.length > 0 && (
          <select aria-label={t('items.tag')} value={tag} onChange={(e) => useVaultData.setState({ tag: e.target.value })}>
            <option value="">{t('items.allTags')}</option>
            {tags.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        )}
      </div>
      {items.length === 0 ? <p className="muted">{t('items.empty')}</p> : shown.length === 0 ? <p className="muted">{t('items.noMatch')}</p> : null}
      <ul className="items">
        {shown.map((i) => <Row key={i.id} item={i} selected={i.id === selected} />)}
      </ul>
    </section>
  );
}
