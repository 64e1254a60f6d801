// Bundles the Electron main process (ESM, dependencies left to node_modules) and the sandboxed
// preload script (CommonJS, self-contained) into dist-electron/.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.js',
  format: 'esm',
  packages: 'external',
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
