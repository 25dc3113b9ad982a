/** Deutsche Texte des Design-Systems und der App-Hülle (Issue 17). */
const designDe: Record<keyof typeof import('./design-en.js').default, string> = {
  'design.lockShortcut': 'Sperren (Strg+L)',
  'design.showPassword': 'Passwort anzeigen',
  'design.hidePassword': 'Passwort verbergen',
  'design.deleteTitle': '„{{name}}“ löschen?',
  'design.untitled': 'Ohne Titel',
  'design.favourite': 'Favorit',
  'design.favouritesOnly': 'Nur Favoriten',
  'design.noFavourites': 'Hier gibt es noch keine Favoriten. Öffnen Sie einen Eintrag und klicken Sie auf den Stern.',
  'design.emptyVaultTitle': 'Ihr Tresor ist leer',
  'design.emptyVaultText': 'Schreiben Sie Ihre erste Notiz. Truhe bewahrt Notizen und Dateien in Freigaben auf; dafür wird die Freigabe „{{name}}“ angelegt. Weitere Freigaben legen Sie links mit „+ Neue Freigabe“ an.',
  'design.emptyVaultGuest': 'Mit Ihnen ist noch nichts geteilt.',
  'design.firstShareName': 'Meine Notizen',
  'design.emptyShareTitle': 'Diese Freigabe ist noch leer',
  'design.emptyShareText': 'Beginnen Sie mit einer Notiz oder fügen Sie Dateien hinzu: Sie werden auf diesem Computer verschlüsselt, bevor sie ihn verlassen.',
  'design.emptyShareReadOnly': 'Hier hat noch niemand etwas abgelegt.',
  'design.firstNote': 'Erste Notiz schreiben',
  'design.noSelectionTitle': 'Nichts ausgewählt',
  'design.shareCount_one': '{{count}} Eintrag',
  'design.shareCount_other': '{{count}} Einträge',
};

export default designDe;
