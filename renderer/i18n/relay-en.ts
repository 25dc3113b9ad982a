/** First-run relay prompt and the join-link relay gate (issue 16). */
const relayEn: Record<string, string> = {
  'relay.field': 'Your firm’s server',
  'relay.hint': 'The address your firm or its provider gave you, starting with wss://. Nothing is sent but a greeting.',
  'relay.check': 'Check connection',
  'relay.checking': 'Checking the server…',
  'relay.ok': 'Connected: a Truhe server answers at {{host}}.',
  'relay.inUse': 'Server: {{host}}',
  'relay.change': 'Use another server',
  'relay.error.RELAY_UNREACHABLE': 'Nothing answers at this address. Check it, and that this computer is online.',
  'relay.error.INSECURE_RELAY_URL': 'This address is not secure: a server on the network needs wss:// (plain ws:// only on this computer).',
  'relay.error.BAD_FORMAT': 'This is not a server address. It looks like wss://truhe.your-firm.de',
  'relay.error.PROTOCOL_MISMATCH': 'This Truhe server runs another version. Ask its operator, or update Truhe.',
  'relay.gate.title': 'This link is for another server',
  'relay.gate.text': 'The link points to the server at {{target}}. This app uses {{current}}.',
  'relay.gate.ask': 'Only switch if your firm gave you this link. Truhe asks you once more, naming the server, before it connects there.',
  'relay.gate.switch': 'Switch to {{target}}',
  'relay.gate.cancel': 'Do not switch',
};
export default relayEn;
