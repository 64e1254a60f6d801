/**
 * How long `campaign-desk --help` takes to start and exit, beside a bare `node -e 0` timed in the same
 * run: the two alternate, so that a busy machine slows both alike. The CLI is built first, as
 * `npm install` builds it. Target: at most 4× the bare start.
 */
import { execFileSync } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET = 4;

function timeMs(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

execFileSync(process.execPath, ['scripts/build-node.js'], { stdio: 'inherit' });
// One unmeasured start of each warms the file cache.
timeMs(['-e', '0']);
timeMs(['bin/campaign-desk.js', '--help']);
const bare: number[] = [];
const cli: number[] = [];
for (let run = 0; run < RUNS; run++) {
  bare.push(timeMs(['-e', '0']));
  cli.push(timeMs(['bin/campaign-desk.js', '--help']));
}
const ratio = median(cli) / median(bare);
console.log(`campaign-desk --help: median ${median(cli).toFixed(0)} ms over ${RUNS} runs`);
console.log(`node -e 0 (baseline, same run): median ${median(bare).toFixed(0)} ms`);
console.log(`ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET}×)${ratio <= TARGET ? '' : ' — over the target'}`);
