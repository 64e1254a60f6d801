import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

const NEWLINE = 0x0a;

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only file of JSON lines. Appends issued together are written and fsynced as one group;
 * each append resolves only once its line is on disk.
 */
export class Journal<E> {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;

  private constructor(private readonly file: FileHandle) {}

  /** Opens (creating if needed) and replays the journal; a torn last line is dropped from the file. */
  static async open<E>(
    path: string,
    parse: (value: unknown) => E | null,
  ): Promise<{ journal: Journal<E>; events: E[] }> {
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    const events: E[] = [];
    // Lines are found in the bytes, not in decoded text: offsets stay exact whatever the bytes hold, and
    // the replay costs one pass over the file.
    let goodBytes = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, goodBytes)) {
      const line = bytes.toString('utf8', goodBytes, newline);
      goodBytes = newline + 1;
      if (line.trim() !== '') {
        const event = parse(parseJson(line));
        if (event !== null) events.push(event);
      }
    }
    if (goodBytes < bytes.length) await truncate(path, goodBytes);
    await mkdir(dirname(path), { recursive: true });
    return { journal: new Journal<E>(await open(path, 'a')), events };
  }

  append(event: E): Promise<void> {
    return this.appendAll([event]);
  }

  appendAll(events: readonly E[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ line: events.map((e) => JSON.stringify(e) + '\n').join(''), resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.file.close();
  }

  private async flush(): Promise<void> {
    // Each group waits for the end of the event loop's turn, so that everything arriving in that turn (a burst
    // of webhook posts, several workers' batches) shares one synced write.
    while ((await new Promise(setImmediate), this.pending.length > 0)) {
      const group = this.pending;
      this.pending = [];
      try {
        await this.file.appendFile(group.map((p) => p.line).join(''));
        await this.file.datasync();
        for (const p of group) p.resolve();
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    this.flushing = null;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
