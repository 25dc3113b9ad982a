/** Server-Abfrage beim ersten Start und Prüfung von Links zu einem anderen Server (Issue 16). */
const relayDe: Record<string, string> = {
  'relay.field': 'Server Ihrer Kanzlei oder Firma',
  'relay.hint': 'Die Adresse, die Ihre Kanzlei, Firma oder deren Dienstleister Ihnen gegeben hat, beginnend mit wss://. Gesendet wird nur ein Gruß.',
  'relay.check': 'Verbindung prüfen',
  'relay.checking': 'Server wird geprüft…',
  'relay.ok': 'Verbunden: Unter {{host}} antwortet ein Truhe-Server.',
  'relay.inUse': 'Server: {{host}}',
  'relay.change': 'Anderen Server verwenden',
  'relay.error.RELAY_UNREACHABLE': 'Unter dieser Adresse antwortet nichts. Prüfen Sie die Adresse und ob dieser Computer online ist.',
  'relay.error.INSECURE_RELAY_URL': 'Diese Adresse ist nicht sicher: Ein Server im Netz braucht wss:// (ws:// nur auf diesem Computer).',
  'relay.error.BAD_FORMAT': 'Das ist keine Serveradresse. Sie sieht etwa so aus: wss://truhe.ihre-kanzlei.de',
  'relay.error.PROTOCOL_MISMATCH': 'Dieser Truhe-Server läuft in einer anderen Version. Fragen Sie den Betreiber oder aktualisieren Sie Truhe.',
  'relay.gate.title': 'Dieser Link gehört zu einem anderen Server',
  'relay.gate.text': 'Der Link verweist auf den Server {{target}}. Diese App verwendet {{current}}.',
  'relay.gate.ask': 'Wechseln Sie nur, wenn Ihre Kanzlei oder Firma Ihnen diesen Link gegeben hat. Truhe fragt Sie vor dem Verbinden noch einmal und nennt den Server.',
  'relay.gate.switch': 'Zu {{target}} wechseln',
  'relay.gate.cancel': 'Nicht wechseln',
};
export default relayDe;
