import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeskError } from '../errors';

const ATTEMPTS = 5;

/**
 * One process at a time sends a campaign, even when the app and the command line share a data folder.
 *
 * The lock is a folder holding one empty file named `<pid>.<token>` for its holder. Every step that changes
 * it succeeds or fails as a whole, so two processes can never both hold it:
 * - taking it renames a private folder, its holder file already inside, onto the lock's name, which the
 *   system allows only while no lock folder with a holder is there;
 * - taking over from a holder that no longer runs (a crash) moves that holder's file out by its unique
 *   name, which fails if another process moved it first, and then competes for the emptied lock like any
 *   other taker. Nothing ever removes a folder with a file in it, nor a live holder's file.
 */
export class SendLock {
  private constructor(
    private readonly path: string,
    private readonly holder: string,
  ) {}

  static async acquire(dir: string, campaignId: string): Promise<SendLock> {
    await mkdir(dir, { recursive: true });
    const path = lockPath(dir, campaignId);
    const holder = `${process.pid}.${randomUUID()}`;
    const draft = join(dir, `${campaignId}.${holder}.taking`);
    await mkdir(draft);
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        await writeFile(join(draft, holder), '', { flag: 'wx' }).catch(ignoreCode('EEXIST'));
        try {
          await rename(draft, path);
          return new SendLock(path, holder);
        } catch (error) {
          if (!OCCUPIED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        }
        const current = await holders(path);
        const live = current.find((name) => isRunning(pidOf(name)));
        if (live !== undefined) throw sendingElsewhere(pidOf(live));
        for (const stale of current) {
          // Moved under a unique name first: a taker that lost the race finds it gone, not someone's new lock.
          const moved = join(dir, `${campaignId}.${holder}.stale`);
          await rename(join(path, stale), moved).then(() => unlink(moved), ignoreCode('ENOENT'));
        }
        // Fails while another taker's folder is already in place, which is how it should be.
        await rmdir(path).catch(() => undefined);
      }
      throw sendingElsewhere(null);
    } finally {
      await rm(draft, { recursive: true, force: true });
    }
  }

  /** Whether a live process other than this one holds the campaign's lock. */
  static async heldElsewhere(dir: string, campaignId: string): Promise<boolean> {
    const current = await holders(lockPath(dir, campaignId));
    return current.some((name) => pidOf(name) !== process.pid && isRunning(pidOf(name)));
  }

  async release(): Promise<void> {
    await unlink(join(this.path, this.holder)).catch(() => undefined);
    // Fails, leaving it, once another process has put its own holder in the emptied folder.
    await rmdir(this.path).catch(() => undefined);
  }
}

/** What renaming onto a lock folder that has a holder fails with: ENOTEMPTY or EEXIST (POSIX), EPERM (Windows). */
const OCCUPIED = new Set(['ENOTEMPTY', 'EEXIST', 'EPERM', 'EACCES']);

function lockPath(dir: string, campaignId: string): string {
  return join(dir, `${campaignId}.sending`);
}

async function holders(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function pidOf(holder: string): number {
  return Number(holder.split('.')[0]);
}

function sendingElsewhere(pid: number | null): DeskError {
  return new DeskError(
    'campaign-sending',
    pid === null
      ? 'This campaign is being sent by another Campaign Desk.'
      : `This campaign is being sent by another Campaign Desk (process ${pid}).`,
  );
}

function ignoreCode(code: string): (error: unknown) => void {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code !== code) throw error;
  };
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
