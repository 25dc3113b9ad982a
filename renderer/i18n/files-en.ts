/** Files and versions (issue 17): replace with a new version, same-name imports, version preview. */
const filesEn = {
  'file.replace': 'Replace with new version…',
  'file.replacing': 'Encrypting a new version of {{name}}',
  'clash.title': 'A file with this name already exists',
  'clash.text': '“{{name}}” is already in this share. Replace it with a new version (the current one stays in its history), keep both, or cancel this file?',
  'clash.all_one': 'Do the same for the other file with a name already in this share',
  'clash.all_other': 'Do the same for the {{count}} other files with names already in this share',
  'clash.replace': 'Replace with new version',
  'clash.keep': 'Keep both',
  'clash.cancel': 'Cancel',
  'versions.view': 'View version {{version}}',
  'versions.heading': 'Version {{version}}',
  'versions.text': 'Text of version {{version}}',
  'versions.diff': 'Changes from this version to the current one',
  'versions.added': 'added:',
  'versions.removed': 'removed:',
  'versions.sameText': 'The text is the same as the current one.',
  'versions.back': 'Back to versions',
  'versions.restore': 'Restore this version',
  'versions.onlyOne': 'This is the only version so far. Each change adds one here.',
};
export default filesEn;
