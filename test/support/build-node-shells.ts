// Vitest global setup: the CLI tests spawn bin/campaign-desk.js, which runs the bundle in dist/node/;
// it is rebuilt from the sources first, so that a stale bundle is never what they test.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-node.js'], { stdio: 'inherit' });
}
