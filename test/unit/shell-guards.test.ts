// The desktop shell's guards, as plain functions. What only a real Electron run shows (that Electron calls
// them, that a drop navigates the window) is not tested here: the Electron binary cannot run in CI.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acceptAttribute } from '../../shared/file-kinds';
import { isAppFrame, isAppPage } from '../../electron/shell-guards/app-frame';
import { ChosenFiles, MAX_CHOSEN_FILES } from '../../electron/shell-guards/chosen-files';
import { keyStorageRefusal, type StorageBackend } from '../../electron/shell-guards/key-storage';
import { externalLink, navigationOutcome } from '../../electron/shell-guards/navigation';
import { dialogFilters } from '../../electron/shell-guards/open-dialog';
import { permissionGranted } from '../../electron/shell-guards/permissions';

const APP_PAGE = pathToFileURL('/opt/Campaign Desk/resources/app.asar/dist/renderer/index.html').href;

describe('IPC senders', () => {
  it("accepts the top frame of the app's own page, whatever its hash or query", () => {
    expect(isAppFrame({ url: APP_PAGE, isTopFrame: true }, APP_PAGE)).toBe(true);
    expect(isAppFrame({ url: `${APP_PAGE}?x=1#campaign`, isTopFrame: true }, APP_PAGE)).toBe(true);
    // The same file spelt without percent-encoding is the same page.
    const spelt = 'file:///opt/Campaign Desk/resources/app.asar/dist/renderer/index.html';
    expect(isAppFrame({ url: spelt, isTopFrame: true }, APP_PAGE)).toBe(true);
  });

  it('refuses a frame inside the page, another file, a web page and a missing frame', () => {
    expect(isAppFrame({ url: APP_PAGE, isTopFrame: false }, APP_PAGE)).toBe(false);
    const other = pathToFileURL('/opt/Campaign Desk/resources/app.asar/dist/renderer/other.html').href;
    expect(isAppFrame({ url: other, isTopFrame: true }, APP_PAGE)).toBe(false);
    expect(isAppFrame({ url: 'https://example.com/index.html', isTopFrame: true }, APP_PAGE)).toBe(false);
    expect(isAppFrame({ url: 'file://evil-host/opt/index.html', isTopFrame: true }, APP_PAGE)).toBe(false);
    expect(isAppFrame({ url: 'not a url', isTopFrame: true }, APP_PAGE)).toBe(false);
    expect(isAppFrame(null, APP_PAGE)).toBe(false);
    expect(isAppPage(undefined, APP_PAGE)).toBe(false);
  });
});

describe('web permissions', () => {
  it("grants the clipboard write the Copy button needs, to the app's page only", () => {
    expect(permissionGranted('clipboard-sanitized-write', APP_PAGE, APP_PAGE)).toBe(true);
    expect(permissionGranted('clipboard-sanitized-write', 'https://example.com/', APP_PAGE)).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', undefined, APP_PAGE)).toBe(false);
  });

  it('refuses everything else, even to the app page', () => {
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'fullscreen',
      'openExternal',
      'hid',
      'usb',
      'serial',
      'display-capture',
      'unknown',
    ])
      expect(permissionGranted(permission, APP_PAGE, APP_PAGE), permission).toBe(false);
  });
});

describe('navigation', () => {
  const dropped = { isMainFrame: true, initiatedByFrame: false };

  it("reads a file dropped on the window (a navigation to it no frame started) as that file's path", () => {
    const url = pathToFileURL('/home/ann/Customers list.csv').href;
    expect(navigationOutcome({ url, ...dropped })).toEqual({
      kind: 'dropped-file',
      path: '/home/ann/Customers list.csv',
    });
  });

  it('blocks every other navigation, a file:// one a script or link started included', () => {
    const file = pathToFileURL('/home/ann/.ssh/id_ed25519').href;
    expect(navigationOutcome({ url: file, isMainFrame: true, initiatedByFrame: true })).toEqual({
      kind: 'blocked',
    });
    expect(navigationOutcome({ url: file, isMainFrame: false, initiatedByFrame: false })).toEqual({
      kind: 'blocked',
    });
    for (const url of [
      'https://example.com/',
      'file:///home/ann/',
      'file://server/share/a.csv',
      'about:blank',
      'nonsense',
    ])
      expect(navigationOutcome({ url, ...dropped }), url).toEqual({ kind: 'blocked' });
  });

  it('opens https links outside the app, and nothing else', () => {
    expect(externalLink('https://connect.webex.com/docs')).toBe('https://connect.webex.com/docs');
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:secret@example.com/',
      'not a url',
    ])
      expect(externalLink(url), url).toBeNull();
  });
});

describe('chosen files', () => {
  it('gives the page an id and the bare name, and reads back the path for that id only', () => {
    const chosen = new ChosenFiles();
    const file = chosen.add('/home/ann/lists/customers.xlsx');
    expect(file.name).toBe('customers.xlsx');
    expect(chosen.pathOf(file.fileId)).toBe('/home/ann/lists/customers.xlsx');
    for (const forged of [
      '/home/ann/lists/customers.xlsx',
      'customers.xlsx',
      '',
      42,
      null,
      { fileId: file.fileId },
    ])
      expect(chosen.pathOf(forged)).toBeNull();
  });

  it(`remembers the last ${MAX_CHOSEN_FILES} files chosen`, () => {
    const chosen = new ChosenFiles();
    const ids = Array.from({ length: MAX_CHOSEN_FILES + 5 }, (_, i) => chosen.add(`/files/${i}.csv`).fileId);
    expect(ids.slice(0, 5).map((id) => chosen.pathOf(id))).toEqual([null, null, null, null, null]);
    expect(ids.slice(5).every((id, i) => chosen.pathOf(id) === `/files/${i + 5}.csv`)).toBe(true);
  });
});

describe('file kinds', () => {
  it('offers the open dialog the files each importer reads', () => {
    expect(dialogFilters('recipients')).toEqual([
      { name: 'CSV files and Excel workbooks', extensions: ['xlsx', 'csv', 'tsv', 'txt'] },
    ]);
    expect(dialogFilters('numbers')).toEqual([{ name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] }]);
  });

  it("gives the page's file inputs the same list", () => {
    expect(acceptAttribute('recipients')).toBe(
      '.xlsx,.csv,.tsv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(acceptAttribute('numbers')).toBe('.csv,.tsv,.txt,text/csv');
  });
});

describe('key storage', () => {
  const backend = (name: StorageBackend) => () => name;

  it("refuses to seal keys on Linux with safeStorage's basic_text backend, and says why", () => {
    const refusal = keyStorageRefusal('linux', backend('basic_text'));
    expect(refusal).toMatch(/no system keyring/);
    expect(refusal).toMatch(/anyone with a copy of your files could read/);
  });

  it('seals with a keyring, and never asks for the backend outside Linux (the call exists there only)', () => {
    for (const name of ['gnome_libsecret', 'kwallet5', 'kwallet6'] as const)
      expect(keyStorageRefusal('linux', backend(name))).toBeNull();
    const never = () => {
      throw new Error('getSelectedStorageBackend is Linux-only');
    };
    expect(keyStorageRefusal('darwin', never)).toBeNull();
    expect(keyStorageRefusal('win32', never)).toBeNull();
  });
});
