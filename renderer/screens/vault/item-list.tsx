/**
 * The items of the current share in their own scroll area: search over decrypted titles and
 * note texts (in memory), tag filter, favourites filter, sort, item counts, designed empty states. Only the rows in view (plus a few) are
 * in the DOM (@tanstack/react-virtual), so 10 000 items cost what 30 do; the search input is
 * deferred (useDeferredValue) so typing stays responsive while the list filters.
 */
import { useDeferredValue, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Inbox, NotebookPen, SearchX, Star } from 'lucide-react';
import { useFavourites } from '../../state/favourites.js';
import { allTags, filterItems, sortItems, useVaultData, type SortKey } from '../../state/vault-data.js';
import { EmptyState } from './empty-state.js';
import { ItemRow, type RowWords } from './item-row.js';

/** Row height in rem (styles.css `.items > li`): fixed, so rows are never measured. */
const ROW_REM = 3.75;
const rowPx = () => ROW_REM * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);

/** `onFirstNote`: the empty share's next action (absent when read-only). */
export function ItemList({ onFirstNote }: { onFirstNote?: () => void }) {
  const { t, i18n } = useTranslation();
  const items = useVaultData((s) => s.items);
  const query = useVaultData((s) => s.query);
  const sort = useVaultData((s) => s.sort);
  const tag = useVaultData((s) => s.tag);
  const selected = useVaultData((s) => s.selected);
  const favIds = useFavourites((s) => s.ids);
  const favOnly = useFavourites((s) => s.only);
  const deferredQuery = useDeferredValue(query);
  const sorted = useMemo(() => sortItems(items, sort), [items, sort]);
  const shown = useMemo(() => {
    const matched = filterItems(sorted, deferredQuery, tag);
    return favOnly ? matched.filter((i) => favIds.has(i.id)) : matched;
  }, [sorted, deferredQuery, tag, favOnly, favIds]);
  const tags = useMemo(() => allTags(items), [items]);
  const words = useMemo<RowWords>(() => ({ lang: i18n.language, note: t('items.note'), file: t('items.file'), conflict: t('items.conflict'), favourite: t('design.favourite') }), [t, i18n.language]);
  const scroller = useRef<HTMLDivElement>(null);
  const rowHeight = useMemo(rowPx, []);
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  const stale = deferredQuery !== query;
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
        <label className="chip fav-filter">
          <input type="checkbox" checked={favOnly} onChange={(e) => useFavourites.setState({ only: e.target.checked })} />
          <Star className="icon" size={14} aria-hidden="true" />
          {t('design.favouritesOnly')}
        </label>
        {tags.length > 0 && (
          <select aria-label={t('items.tag')} value={tag} onChange={(e) => useVaultData.setState({ tag: e.target.value })}>
            <option value="">{t('items.allTags')}</option>
            {tags.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        )}
      </div>
      <p className="muted small item-count" data-testid="item-count" data-shown={shown.length} data-total={items.length} data-query={deferredQuery} aria-busy={stale}>
        {shown.length === items.length ? t('items.countAll', { count: items.length }) : t('items.count', { shown: shown.length, total: items.length })}
      </p>
      {items.length === 0 ? (
        <EmptyState icon={Inbox} title={t('design.emptyShareTitle')} testId="empty-share"
          action={onFirstNote && <button type="button" className="primary" onClick={onFirstNote}><NotebookPen className="icon" size={16} aria-hidden="true" />{t('design.firstNote')}</button>}>
          {onFirstNote ? t('design.emptyShareText') : t('design.emptyShareReadOnly')}
        </EmptyState>
      ) : shown.length === 0 ? (
        favOnly && !deferredQuery && !tag
          ? <EmptyState icon={Star} title={t('items.noMatch')}>{t('design.noFavourites')}</EmptyState>
          : <EmptyState icon={SearchX} title={t('items.noMatch')} />
      ) : null}
      <div className="items-scroll" ref={scroller}>
        <ul className="items" style={{ height: virtual.getTotalSize() }}>
          {virtual.getVirtualItems().map((row) => {
            const item = shown[row.index]!;
            return (
              <li key={item.id} style={{ transform: `translateY(${row.start}px)` }}>
                <ItemRow item={item} selected={item.id === selected} favourite={favIds.has(item.id)} words={words} />
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
