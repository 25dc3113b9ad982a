/**
 * The setup code: what a new device needs besides the password and the Secret Key — the relay
 * URL, the team id and the account id — as one text that fits a QR code and a paste.
 *
 *   `TRS1-XXXXX-XXXXX-…` = 'TRS' ‖ one version character ('1') ‖ Crockford base32, in groups of five, of
 *     team id (16 bytes) ‖ account id (16 bytes) ‖ relay URL (UTF-8) ‖ CRC-32 (big-endian) of
 *     'TRS1' ‖ the bytes before it.
 *
 * It never carries the Secret Key or anything derived from the password: whoever reads it learns
 * only ids and an address the relay already knows. The CRC catches typos (every error of up to
 * six adjacent characters); it is not a signature and needs none — a forged code can only point
 * a device at the wrong relay, where the password and Secret Key still never leave the device.
 *
 * Parsing ignores case, spaces, line breaks and dashes and reads I/L as 1 and O as 0. Refusals:
 *   SETUP_CODE_INVALID  not a setup code (no `TRS` prefix, a character outside base32, a length
 *                       that no setup code has, non-zero padding bits)
 *   SETUP_CODE_VERSION  a `TRS<n>` code of a version this app does not read
 *   SETUP_CODE_CHECK    well-formed but the check does not match (a typo)
 *   INSECURE_RELAY_URL / BAD_FORMAT  the relay URL inside is refused by protocol/relay-url.ts
 * Pure: no crypto, no I/O.
 */
import { z } from 'zod';
import { BASE32_ALPHABET, concatBytes, fromBase32, fromUtf8, fromB64url, toB64url, toBase32, u32be, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { ID_BYTES, isId, type AccountId, type TeamId } from '../ids.js';
import { checkRelayUrlPolicy, MAX_RELAY_URL_LENGTH } from '../../protocol/relay-url.js';

export const SETUP_CODE_VERSION = 1;
const PREFIX = `TRS${SETUP_CODE_VERSION}`;
const CHECK_BYTES = 4;
const GROUP = 5;
const MIN_BYTES = 2 * ID_BYTES + 1 + CHECK_BYTES;
const MAX_BYTES = 2 * ID_BYTES + MAX_RELAY_URL_LENGTH * 4 + CHECK_BYTES;

export interface SetupCode {
  relayUrl: string;
  teamId: TeamId;
  accountId: AccountId;
}

/** The decoded fields must be what a kit holds: two ids and a relay URL the policy accepts. */
const SetupCodeSchema = z.strictObject({
  teamId: z.string().refine(isId, 'team id'),
  accountId: z.string().refine(isId, 'account id'),
  relayUrl: z.string().min(1).max(MAX_RELAY_URL_LENGTH),
});

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zip and PNG use it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function check(body: Uint8Array): Uint8Array {
  return u32be(crc32(concatBytes(utf8(PREFIX), body)));
}

function invalid(why: string): VaultError {
  return new VaultError('SETUP_CODE_INVALID', `parseSetupCode: ${why}`);
}

/** Validates the fields with the same rules as parsing. Throws like parseSetupCode. */
function checked(fields: unknown): SetupCode {
  const r = SetupCodeSchema.safeParse(fields);
  if (!r.success) throw invalid(`bad ${r.error.issues.map((i) => i.message).join(', ')}`);
  const relay = checkRelayUrlPolicy(r.data.relayUrl);
  if (!relay.ok) throw new VaultError(relay.code, `parseSetupCode: relay URL refused: ${relay.reason}`);
  return { relayUrl: relay.relay.url, teamId: r.data.teamId as TeamId, accountId: r.data.accountId as AccountId };
}

/**
 * {relay URL, team id, account id} → `TRS1-…`. Takes exactly these three fields even from a whole
 * EmergencyKit, so the Secret Key can never end up in the code. Throws like parseSetupCode.
 */
export function formatSetupCode(fields: { relayUrl: string; teamId: string; accountId: string }): string {
  const f = checked({ relayUrl: fields.relayUrl, teamId: fields.teamId, accountId: fields.accountId });
  const body = concatBytes(fromB64url(f.teamId), fromB64url(f.accountId), utf8(f.relayUrl));
  const text = toBase32(concatBytes(body, check(body)));
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += GROUP) groups.push(text.slice(i, i + GROUP));
  return `${PREFIX}-${groups.join('-')}`;
}

/** A pasted, typed or scanned setup code → its fields. Throws VaultError (codes above). */
export function parseSetupCode(input: string): SetupCode {
  if (typeof input !== 'string') throw invalid('not text');
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  // The version is one character right after TRS (the dash after it is optional when pasted).
  const head = /^TRS([0-9A-Z])/.exec(compact);
  if (!head) throw invalid('it does not start with TRS');
  const version = head[1]!.replace(/[IL]/, '1');
  if (version !== String(SETUP_CODE_VERSION)) {
    throw new VaultError('SETUP_CODE_VERSION', `parseSetupCode: version ${version} is not readable by this app (it reads ${SETUP_CODE_VERSION})`);
  }
  const chars = compact.slice(head[0].length).replace(/[IL]/g, '1').replace(/O/g, '0');
  const bad = [...chars].find((c) => !BASE32_ALPHABET.includes(c));
  if (bad !== undefined) throw invalid(`'${bad}' is not a character of a setup code`);
  const n = Math.floor((chars.length * 5) / 8);
  if (n < MIN_BYTES || n > MAX_BYTES || Math.ceil((n * 8) / 5) !== chars.length) throw invalid(`${chars.length} characters is not the length of a setup code`);
  const bytes = fromBase32(chars, n);
  if (toBase32(bytes) !== chars) throw invalid('the last character has padding bits set');
  const body = bytes.subarray(0, n - CHECK_BYTES);
  const sum = check(body);
  if (!sum.every((b, i) => b === bytes[n - CHECK_BYTES + i])) throw new VaultError('SETUP_CODE_CHECK', 'parseSetupCode: the check does not match (a typo?)');
  let relayUrl: string;
  try {
    relayUrl = fromUtf8(body.subarray(2 * ID_BYTES));
  } catch {
    throw invalid('the relay URL is not UTF-8');
  }
  return checked({ teamId: toB64url(body.subarray(0, ID_BYTES)), accountId: toB64url(body.subarray(ID_BYTES, 2 * ID_BYTES)), relayUrl });
}
