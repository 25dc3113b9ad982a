/**
 * The settings slice (relay URL, lock timeouts, language), persisted in localStorage. Values are
 * validated before they are stored; a bad value is refused with an error code, never saved.
 */
import { create } from 'zustand';
import i18next from 'i18next';
import { systemLanguage } from '../i18n/format.js';
import { DEFAULT_SETTINGS, checkLockMinutes, checkRelaySetting, parseStoredSettings, type Checked, type Language, type Settings } from './settings-validation.js';

const STORAGE_KEY = 'truhe.settings.v1';

function load(): Settings {
  const system = systemLanguage(globalThis.navigator?.languages ?? []);
  try {
    return parseStoredSettings(globalThis.localStorage?.getItem(STORAGE_KEY) ?? null, system);
  } catch {
    return { ...DEFAULT_SETTINGS, language: system };
  }
}

function save(s: Settings): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // Storage may be unavailable (private mode); settings then last for this session only.
  }
}

export interface SettingsState extends Settings {
  setRelayUrl(input: string): Checked<string>;
  setLockMinutes(idleMinutes: number, absoluteMinutes: number): Checked<{ idleMinutes: number; absoluteMinutes: number }>;
  setLanguage(language: Language): void;
}

export const useSettings = create<SettingsState>()((set, get) => {
  const persist = () => {
    const { relayUrl, idleMinutes, absoluteMinutes, language } = get();
    save({ relayUrl, idleMinutes, absoluteMinutes, language });
  };
  return {
    ...load(),
    setRelayUrl(input) {
      const r = checkRelaySetting(input);
      if (r.ok) {
        set({ relayUrl: r.value });
        persist();
      }
      return r;
    },
    setLockMinutes(idleMinutes, absoluteMinutes) {
      const r = checkLockMinutes(idleMinutes, absoluteMinutes);
      if (r.ok) {
        set(r.value);
        persist();
      }
      return r;
    },
    setLanguage(language) {
      set({ language });
      persist();
      void i18next.changeLanguage(language);
    },
  };
});
