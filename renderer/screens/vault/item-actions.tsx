/**
 * The actions every open item shares: star it (this device's favourites) and delete it after the
 * app's one confirmation dialog (never the browser's window.confirm).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Star, Trash2 } from 'lucide-react';
import { useFavourites, toggleFavourite } from '../../state/favourites.js';
import { deleteItem } from '../../state/vault-actions.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';

export function FavouriteToggle({ share, item }: { share: string; item: string }) {
  const { t } = useTranslation();
  const on = useFavourites((s) => s.share === share && s.ids.has(item));
  return (
    <button type="button" className="star" aria-pressed={on} onClick={() => void toggleFavourite(share, item)}>
      <Star className="icon" size={16} aria-hidden="true" />
      {t('design.favourite')}
    </button>
  );
}

export function DeleteItemButton({ share, item, name }: { share: string; item: string; name: string }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        <Trash2 className="icon" size={16} aria-hidden="true" />
        {t('note.delete')}
      </button>
      {asking && (
        <ConfirmDialog
          title={t('design.deleteTitle', { name: name || t('design.untitled') })}
          message={t('note.deleteConfirm')}
          confirmLabel={t('note.delete')}
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            void deleteItem(share, item);
          }}
        />
      )}
    </>
  );
}
