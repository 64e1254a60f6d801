// Bundles the plain-Node shells, the command line and the browser shell, into dist/node/ (ESM,
// dependencies left to node_modules). Code splitting keeps each command in its own chunk, loaded only
// when it runs: `campaign-desk --help` loads none of them. Run by `npm install` (prepare), `npm run
// build`, and before the unit and browser tests, so that they never run a stale bundle.
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/node`;

rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  // The preview's row-check worker is an entry too: a Worker loads it by its path, beside the chunks.
  entryPoints: {
    cli: 'electron/cli.ts',
    server: 'electron/server.ts',
    'row-check-worker': 'electron/commands/row-check-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Chunks stay beside the entries: the core finds package.json two folders up (dist/node/ → root).
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
// What imports what, for the test that `--help` loads no command.
writeFileSync(`${outdir}/meta.json`, JSON.stringify(metafile));
