#!/usr/bin/env node
// Runs the bundled command line (dist/node/cli.js), which `npm install` builds (the `prepare` script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/node/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    "Campaign Desk's command line has not been built yet: run `npm install` or `npm run build` first.",
  );
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
