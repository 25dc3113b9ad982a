/**
 * One row of the item list, always two lines of one fixed height (styles.css `.items > li`), so
 * the virtualizer never measures rows. Memoised: it re-renders only when its summary, its
 * selection or the language changes, and it takes its words from the list (no useTranslation
 * per row).
 */
import { memo } from 'react';
import { FileText, Paperclip, Star } from 'lucide-react';
import type { ItemSummary } from '../../../core/vault-api.js';
import { selectItem } from '../../state/vault-actions.js';
import { formatWhen } from './format-when.js';

export interface RowWords {
  lang: string;
  note: string;
  file: string;
  conflict: string;
  favourite: string;
}

export const ItemRow = memo(function ItemRow({ item, selected, favourite, words }: { item: ItemSummary; selected: boolean; favourite: boolean; words: RowWords }) {
  return (
    <button type="button" className={selected ? 'item selected' : 'item'} aria-current={selected ? 'true' : undefined} onClick={() => void selectItem(item.share, item.id)}>
      <span className="item-title">
        <span className={`kind kind-${item.kind}`} aria-label={item.kind === 'note' ? words.note : words.file} role="img">
          {item.kind === 'note' ? <FileText size={16} aria-hidden="true" /> : <Paperclip size={16} aria-hidden="true" />}
        </span>
        <span className="item-name">{item.title || '—'}</span>
        {item.conflictOf && <span className="badge warn">{words.conflict}</span>}
        {favourite && <span className="fav-mark" role="img" aria-label={words.favourite} data-testid="fav-mark"><Star size={14} fill="currentColor" aria-hidden="true" /></span>}
      </span>
      <span className="item-meta muted small">
        {formatWhen(item.updatedAt, words.lang)} · {item.author}
        {item.tags.length > 0 && <span className="tags"> · {item.tags.join(' · ')}</span>}
      </span>
    </button>
  );
});
