/**
 * Run as its own process by send-lock.test.ts: `<locks dir> <rounds> <start ms> <gap ms> [leave]`.
 * For each round, waits for its instant, then tries to take the lock of campaign `c<round>` and prints
 * `<round> won` or `<round> lost`. With `leave` it only takes every lock and exits holding them (a crash).
 * Locks won are held until the process ends, so that a loser cannot take one after the winner let go.
 */
import { SendLock } from '../../electron/core/sending/send-lock';

const [dir, roundsText, startText, gapText, mode] = process.argv.slice(2);
const rounds = Number(roundsText);
const start = Number(startText);
const gap = Number(gapText);

for (let round = 0; round < rounds; round++) {
  if (mode !== 'leave') {
    const at = start + round * gap;
    while (Date.now() < at - 5) await new Promise((resolve) => setTimeout(resolve, 1));
    while (Date.now() < at) {
      // Spun for the last milliseconds, so that both processes start as close together as a clock allows.
    }
  }
  const won = await SendLock.acquire(dir as string, `c${round}`).then(
    () => true,
    () => false,
  );
  process.stdout.write(`${round} ${won ? 'won' : 'lost'}\n`);
}
