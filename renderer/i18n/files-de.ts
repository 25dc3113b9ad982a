/** Dateien und Versionen (Issue 17). */
import type en from './files-en.js';

const filesDe: Record<keyof typeof en, string> = {
  'file.replace': 'Durch neue Version ersetzen…',
  'file.replacing': 'Neue Version von {{name}} wird verschlüsselt',
  'file.waiting': '{{name}} wartet auf die Verschlüsselung',
  'file.moreWaiting_one': '1 weitere Datei wartet',
  'file.moreWaiting_other': '{{count}} weitere Dateien warten',
  'file.cancelAll': 'Alle abbrechen',
  'file.cancelUploadOf': 'Hochladen von {{name}} abbrechen',
  'clash.title': 'Eine Datei mit diesem Namen gibt es schon',
  'clash.text': '„{{name}}“ liegt bereits in dieser Freigabe. Durch eine neue Version ersetzen (die jetzige bleibt im Verlauf), beide behalten oder diese Datei abbrechen?',
  'clash.all_one': 'Genauso für die andere Datei verfahren, deren Name es hier schon gibt',
  'clash.all_other': 'Genauso für die {{count}} anderen Dateien verfahren, deren Namen es hier schon gibt',
  'clash.replace': 'Durch neue Version ersetzen',
  'clash.keep': 'Beide behalten',
  'clash.cancel': 'Abbrechen',
  'versions.view': 'Version {{version}} ansehen',
  'versions.heading': 'Version {{version}}',
  'versions.text': 'Text der Version {{version}}',
  'versions.diff': 'Änderungen von dieser Version zur aktuellen',
  'versions.added': 'hinzugefügt:',
  'versions.removed': 'entfernt:',
  'versions.sameText': 'Der Text ist derselbe wie in der aktuellen Version.',
  'versions.back': 'Zurück zu den Versionen',
  'versions.restore': 'Diese Version wiederherstellen',
  'versions.onlyOne': 'Bisher gibt es nur diese Version. Jede Änderung fügt hier eine hinzu.',
};
export default filesDe;
