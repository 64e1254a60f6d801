// What each command of the built command line loads before it runs: the bundle's static imports, as
// esbuild recorded them (dist/node/meta.json, built by the global setup). A command loads the libraries
// it uses, and `campaign-desk --help` none.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Metafile {
  outputs: Record<
    string,
    { entryPoint?: string; imports: { path: string; kind: string; external?: boolean }[] }
  >;
}

const meta = JSON.parse(readFileSync('dist/node/meta.json', 'utf8')) as Metafile;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** The packages an output file loads before any of its code runs (dynamic imports not followed). */
function loadedPackages(output: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  if (seen.has(output)) return found;
  seen.add(output);
  for (const imported of meta.outputs[output]?.imports ?? []) {
    if (imported.kind !== 'import-statement') continue;
    if (!imported.external) for (const name of loadedPackages(imported.path, seen)) found.add(name);
    else if (!imported.path.startsWith('node:') && !builtinModules.includes(imported.path))
      found.add(packageName(imported.path));
  }
  return found;
}

function outputOf(entryPoint: string): string {
  const found = Object.entries(meta.outputs).find(([, output]) => output.entryPoint === entryPoint);
  if (!found) throw new Error(`${entryPoint} is not a chunk of its own in the bundle`);
  return found[0];
}

const COMMANDS = ['send', 'preview', 'resume', 'report', 'simulator'];

describe('the built command line', () => {
  it('loads no library for its overview: every command is a chunk loaded when it runs', () => {
    expect([...loadedPackages('dist/node/cli.js')]).toEqual([]);
    for (const command of COMMANDS) {
      const chunk = outputOf(`electron/commands/${command}.ts`);
      const imports = meta.outputs['dist/node/cli.js']?.imports ?? [];
      expect(imports).toContainEqual({ path: chunk, kind: 'dynamic-import' });
    }
  });

  it('loads exceljs only to read a workbook', () => {
    for (const command of COMMANDS) {
      expect(loadedPackages(outputOf(`electron/commands/${command}.ts`))).not.toContain('exceljs');
    }
    expect(loadedPackages(outputOf('electron/core/recipients/workbook-import.ts'))).toContain('exceljs');
  });

  it('opens no settings store nor tunnel client for preview and simulator', () => {
    for (const command of ['preview', 'simulator']) {
      const loaded = loadedPackages(outputOf(`electron/commands/${command}.ts`));
      expect(loaded).not.toContain('conf');
      expect(loaded).not.toContain('localtunnel');
    }
    expect(loadedPackages(outputOf('electron/commands/simulator.ts'))).not.toContain('papaparse');
  });
});
