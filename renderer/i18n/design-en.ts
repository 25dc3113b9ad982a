/** English strings of the design system and app shell (issue 17): toggles, empty states, favourites, dialogs. */
const designEn = {
  'design.lockShortcut': 'Lock (Ctrl+L)',
  'design.showPassword': 'Show password',
  'design.hidePassword': 'Hide password',
  'design.deleteTitle': 'Delete “{{name}}”?',
  'design.untitled': 'Untitled',
  'design.favourite': 'Favourite',
  'design.favouritesOnly': 'Favourites only',
  'design.noFavourites': 'No favourites here yet. Open an item and press the star to add it.',
  'design.emptyVaultTitle': 'Your vault is empty',
  'design.emptyVaultText': 'Write your first note. Truhe keeps notes and files in shares; a share called “{{name}}” is created for it. You can add more shares with “+ New share” on the left.',
  'design.emptyVaultGuest': 'Nothing is shared with you yet.',
  'design.firstShareName': 'My notes',
  'design.emptyShareTitle': 'Nothing in this share yet',
  'design.emptyShareText': 'Start with a note, or add files: they are encrypted on this computer before they leave it.',
  'design.emptyShareReadOnly': 'Nobody has added anything here yet.',
  'design.firstNote': 'Write the first note',
  'design.noSelectionTitle': 'Nothing selected',
  'design.shareCount_one': '{{count}} item',
  'design.shareCount_other': '{{count}} items',
} as const;

export default designEn;
