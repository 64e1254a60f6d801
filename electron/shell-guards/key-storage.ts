/**
 * Whether keys may be sealed with Electron's safeStorage on this system. On Linux, without a keyring
 * (GNOME Keyring, KWallet), safeStorage falls back to its `basic_text` backend: a key hard-coded in
 * Chromium, so anyone with a copy of the data folder could read the service keys. Then the app refuses.
 */
export type StorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export function keyStorageRefusal(platform: string, backend: () => StorageBackend): string | null {
  if (platform !== 'linux' || backend() !== 'basic_text') return null;
  return (
    'The key was not saved: this computer has no system keyring (such as GNOME Keyring or KWallet) ' +
    'running, and without one the key would be stored in a form anyone with a copy of your files could ' +
    'read. Start or install a keyring, then set the key again.'
  );
}
