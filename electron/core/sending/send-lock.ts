import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DeskError } from '../errors';

/**
 * One process at a time sends a campaign, even when the app and the command line share a data folder:
 * a lock file holds the sender's process id. A lock left by a process that no longer runs (a crash)
 * is taken over.
 */
export class SendLock {
  private constructor(private readonly path: string) {}

  static async acquire(dir: string, campaignId: string): Promise<SendLock> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${campaignId}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const file = await open(path, 'wx');
        await file.writeFile(String(process.pid));
        await file.close();
        return new SendLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (isRunning(holder)) {
        throw new DeskError(
          'campaign-sending',
          `This campaign is being sent by another Campaign Desk (process ${holder}).`,
        );
      }
      await unlink(path).catch(() => undefined);
    }
    throw new DeskError('campaign-sending', 'This campaign is being sent by another Campaign Desk.');
  }

  /** Whether a live process other than this one holds the campaign's lock. */
  static async heldElsewhere(dir: string, campaignId: string): Promise<boolean> {
    const holder = Number(await readFile(join(dir, `${campaignId}.lock`), 'utf8').catch(() => ''));
    return holder !== process.pid && isRunning(holder);
  }

  release(): Promise<void> {
    return unlink(this.path).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
