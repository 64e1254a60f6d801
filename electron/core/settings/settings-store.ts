/** The part of the electron-store / conf API the core uses, so either can back the settings. */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}
