// `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory figures stay apart).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv[2];
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', `bench/${file}`, ...process.argv.slice(3)],
    {
      stdio: 'inherit',
    },
  );
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
