/**
 * Pure checks for the Settings screen: what may be stored, with an error code the UI words.
 * Only settings live in localStorage; never a key, a password or decrypted content.
 */
import { checkRelayUrl } from '../../core/vault.js';
import { isVaultError, type VaultErrorCode } from '../../core/errors.js';
import { lockPolicyConfig } from '../../main/lock-policy.js';

export type Language = 'en' | 'de';

export interface Settings {
  relayUrl: string;
  idleMinutes: number;
  absoluteMinutes: number;
  language: Language;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  relayUrl: 'ws://127.0.0.1:8787',
  idleMinutes: 10,
  absoluteMinutes: 180,
  language: 'en',
});

export type Checked<T> = { ok: true; value: T } | { ok: false; code: VaultErrorCode | 'BAD_MINUTES' };

/** Validates a relay URL typed by the user (R11: `ws://` only to loopback). */
export function checkRelaySetting(input: string): Checked<string> {
  try {
    return { ok: true, value: checkRelayUrl(input) };
  } catch (e) {
    return { ok: false, code: isVaultError(e) ? e.code : 'BAD_FORMAT' };
  }
}

/** Validates the two lock timeouts (whole minutes, 1..1440) with the lock policy's own rules. */
export function checkLockMinutes(idleMinutes: number, absoluteMinutes: number): Checked<{ idleMinutes: number; absoluteMinutes: number }> {
  try {
    const c = lockPolicyConfig({ idleMinutes, absoluteMinutes });
    return { ok: true, value: { idleMinutes: c.idleMinutes, absoluteMinutes: c.absoluteMinutes } };
  } catch {
    return { ok: false, code: 'BAD_MINUTES' };
  }
}

/**
 * Reads stored settings, dropping anything malformed back to its default (never throws).
 * `systemLanguage` is the language when none was chosen yet (first start follows the system).
 */
export function parseStoredSettings(raw: string | null, systemLanguage: Language = DEFAULT_SETTINGS.language): Settings {
  if (!raw) return { ...DEFAULT_SETTINGS, language: systemLanguage };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ...DEFAULT_SETTINGS, language: systemLanguage };
  }
  const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const relay = typeof o.relayUrl === 'string' ? checkRelaySetting(o.relayUrl) : null;
  const minutes = checkLockMinutes(Number(o.idleMinutes), Number(o.absoluteMinutes));
  return {
    relayUrl: relay?.ok ? relay.value : DEFAULT_SETTINGS.relayUrl,
    idleMinutes: minutes.ok ? minutes.value.idleMinutes : DEFAULT_SETTINGS.idleMinutes,
    absoluteMinutes: minutes.ok ? minutes.value.absoluteMinutes : DEFAULT_SETTINGS.absoluteMinutes,
    language: o.language === 'de' || o.language === 'en' ? o.language : systemLanguage,
  };
}
