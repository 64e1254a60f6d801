/** The Electron shell: one sandboxed window over the core; keys sealed with the OS keychain (safeStorage). */
import { app, BrowserWindow, ipcMain, safeStorage, shell } from 'electron';
import Store from 'electron-store';
import { fileURLToPath } from 'node:url';
import { Desk } from './core/desk';
import { dispatch } from './core/dispatch';
import { DeskError } from './core/errors';
import type { Vault } from './core/secrets/vault';
import { keepAwakeWithElectron } from './power';

const safeStorageVault: Vault = {
  seal(plain) {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new DeskError(
        'vault-unavailable',
        'This system offers no secure key storage, so the key was not saved.',
      );
    }
    return safeStorage.encryptString(plain).toString('base64');
  },
  open(sealed) {
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      throw new DeskError(
        'vault-locked',
        'A stored service key cannot be decrypted on this system; set the key again.',
      );
    }
  },
};

function dataDirFromArgs(): string {
  const flag = process.argv.find((a) => a.startsWith('--data-dir='));
  return flag?.slice('--data-dir='.length) || process.env.CAMPAIGN_DESK_HOME || app.getPath('userData');
}

async function createWindow(desk: Desk): Promise<void> {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Campaign Desk',
    webPreferences: {
      preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const unsubscribe = desk.bus.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send('desk:event', event, payload);
  });
  win.on('closed', unsubscribe);
  await win.loadFile(fileURLToPath(new URL('../dist/renderer/index.html', import.meta.url)));
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = dataDirFromArgs();
  const desk = await Desk.start({
    dataDir,
    vault: safeStorageVault,
    settings: new Store<Record<string, unknown>>({ cwd: dataDir, name: 'settings' }),
    version: app.getVersion(),
  });
  keepAwakeWithElectron(desk);
  ipcMain.handle('desk:upload', (event, path: unknown) => {
    const fromOurPage = event.senderFrame?.url.startsWith('file://') ?? false;
    if (!fromOurPage || typeof path !== 'string' || path === '') {
      return { ok: false, error: { code: 'forbidden', message: 'Only a file the user chose can be read.' } };
    }
    return { ok: true, value: { uploadId: desk.uploads.register(path) } };
  });
  ipcMain.handle('desk:call', (event, name: unknown, payload: unknown) => {
    const fromOurPage = event.senderFrame?.url.startsWith('file://') ?? false;
    if (!fromOurPage || typeof name !== 'string') {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Calls are accepted from the app window only.' },
      };
    }
    return dispatch(desk.handlers, name, payload);
  });
  await createWindow(desk);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(desk);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    event.preventDefault();
    void desk.close().finally(() => app.exit(0));
  });
}

start().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
