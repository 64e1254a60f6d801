/** The Electron shell: one sandboxed window over the core; keys sealed with the OS keychain (safeStorage). */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  powerMonitor,
  powerSaveBlocker,
  safeStorage,
  session,
  shell,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import Store from 'electron-store';
import { fileURLToPath } from 'node:url';
import { isFileKind } from '../shared/file-kinds';
import { Desk } from './core/desk';
import { dispatch } from './core/dispatch';
import { DeskError } from './core/errors';
import type { Vault } from './core/secrets/vault';
import { isAppFrame, isAppPage } from './shell-guards/app-frame';
import { ChosenFiles } from './shell-guards/chosen-files';
import { keyStorageRefusal } from './shell-guards/key-storage';
import { externalLink, navigationOutcome } from './shell-guards/navigation';
import { dialogFilters } from './shell-guards/open-dialog';
import { permissionGranted } from './shell-guards/permissions';

const APP_PAGE = new URL('../dist/renderer/index.html', import.meta.url).href;

const safeStorageVault: Vault = {
  seal(plain) {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new DeskError(
        'vault-unavailable',
        'This system offers no secure key storage, so the key was not saved.',
      );
    }
    const refusal = keyStorageRefusal(process.platform, () => safeStorage.getSelectedStorageBackend());
    if (refusal) throw new DeskError('vault-unavailable', refusal);
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

const FORBIDDEN = {
  ok: false,
  error: { code: 'forbidden', message: 'Calls are accepted from the app window only.' },
} as const;

function fromAppPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isAppFrame(frame && { url: frame.url, isTopFrame: frame.parent === null }, APP_PAGE);
}

/**
 * Keeps the computer awake while the desk needs it (powerSaveBlocker lets the screen sleep, not the system),
 * and tells the desk when the system resumes, so that tunnels and schedules are looked at again at once.
 */
function keepAwakeWithElectron(desk: Desk): void {
  let blocker: number | null = null;
  desk.keepAwake.useBlocker({
    start() {
      blocker ??= powerSaveBlocker.start('prevent-app-suspension');
    },
    stop() {
      if (blocker !== null) powerSaveBlocker.stop(blocker);
      blocker = null;
    },
  });
  powerMonitor.on('resume', () => desk.wake());
}

function dataDirFromArgs(): string {
  const flag = process.argv.find((a) => a.startsWith('--data-dir='));
  return flag?.slice('--data-dir='.length) || process.env.CAMPAIGN_DESK_HOME || app.getPath('userData');
}

/** Every web page the app ever hosts: no webviews, no navigation away, no new windows. */
function guardContents(contents: WebContents, chosen: ChosenFiles): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    const outcome = navigationOutcome({
      url: event.url,
      isMainFrame: event.isMainFrame,
      initiatedByFrame: event.initiator != null,
    });
    if (outcome.kind === 'dropped-file' && isAppPage(contents.getURL(), APP_PAGE)) {
      contents.send('desk:file-dropped', chosen.add(outcome.path));
    }
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLink(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
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
  const unsubscribe = desk.bus.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send('desk:event', event, payload);
  });
  win.on('closed', unsubscribe);
  await win.loadURL(APP_PAGE);
}

async function start(): Promise<void> {
  const chosen = new ChosenFiles();
  app.on('web-contents-created', (_, contents) => guardContents(contents, chosen));
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_, permission, grant, details) =>
    grant(permissionGranted(permission, details.requestingUrl, APP_PAGE)),
  );
  session.defaultSession.setPermissionCheckHandler((_, permission, __, details) =>
    permissionGranted(permission, details.requestingUrl, APP_PAGE),
  );
  const dataDir = dataDirFromArgs();
  const desk = await Desk.start({
    dataDir,
    vault: safeStorageVault,
    settings: new Store<Record<string, unknown>>({ cwd: dataDir, name: 'settings' }),
    version: app.getVersion(),
  });
  keepAwakeWithElectron(desk);
  ipcMain.handle('desk:choose-file', async (event, kind: unknown) => {
    if (!fromAppPage(event) || !isFileKind(kind)) return FORBIDDEN;
    const win = BrowserWindow.fromWebContents(event.sender);
    const options = { properties: ['openFile' as const], filters: dialogFilters(kind) };
    const { canceled, filePaths } = await (win
      ? dialog.showOpenDialog(win, options)
      : dialog.showOpenDialog(options));
    const [path] = filePaths;
    return { ok: true, value: canceled || !path ? null : chosen.add(path) };
  });
  ipcMain.handle('desk:upload', (event, fileId: unknown) => {
    if (!fromAppPage(event)) return FORBIDDEN;
    const path = chosen.pathOf(fileId);
    if (path === null) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Only a file chosen or dropped in this window can be read.' },
      };
    }
    return { ok: true, value: { uploadId: desk.uploads.register(path) } };
  });
  ipcMain.handle('desk:call', (event, name: unknown, payload: unknown) => {
    if (!fromAppPage(event) || typeof name !== 'string') return FORBIDDEN;
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
