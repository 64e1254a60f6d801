import { mkdir, open, readFile, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A post the receiver refused, as kept for the user to look at. */
export interface RejectedPost {
  at: string;
  /** The sender's address (see `sourceOf`). */
  source: string;
  endpoint: 'dr' | 'mo';
  status: 400 | 413 | 422;
  reason: string;
  contentType: string | null;
  /** Bytes received (for a body refused by its declared length, none). */
  bytes: number;
  /** The body's first bytes as text; invalid UTF-8 shows as U+FFFD. */
  body: string;
  truncated: boolean;
}

export const KEPT_BODY_BYTES = 4096;
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/**
 * Refused posts, one JSON line each, in a file that never grows past `maxBytes`: when it would, its older
 * half is dropped. Lines are written in the background and are not synced; under a flood, posts arriving
 * while a full file's worth waits to be written are dropped.
 */
export class RejectedLog {
  private pending: string[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> | null = null;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    private size: number,
    private readonly maxBytes: number,
  ) {}

  static async open(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<RejectedLog> {
    await mkdir(dirname(path), { recursive: true });
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    return new RejectedLog(path, await open(path, 'a'), size, maxBytes);
  }

  add(post: Omit<RejectedPost, 'body' | 'truncated'>, body: Buffer): void {
    const kept = body.subarray(0, KEPT_BODY_BYTES);
    const line = `${JSON.stringify({ ...post, body: kept.toString('utf8'), truncated: body.length > kept.length })}\n`;
    const bytes = Buffer.byteLength(line);
    // Half the file at most waits, so that what is written after dropping the older half still fits.
    if (this.pendingBytes + bytes > this.maxBytes / 2) return;
    this.pending.push(line);
    this.pendingBytes += bytes;
    this.writing ??= this.write();
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    await this.file.close();
  }

  private async write(): Promise<void> {
    while ((await new Promise(setImmediate), this.pending.length > 0)) {
      const text = this.pending.join('');
      this.pending = [];
      this.pendingBytes = 0;
      try {
        const bytes = Buffer.byteLength(text);
        if (this.size + bytes > this.maxBytes) await this.dropOlderHalf();
        await this.file.appendFile(text);
        this.size += bytes;
      } catch (error) {
        console.error(
          'receiver: could not keep refused posts:',
          error instanceof Error ? error.message : error,
        );
      }
    }
    this.writing = null;
  }

  private async dropOlderHalf(): Promise<void> {
    const text = await readFile(this.path, 'utf8');
    const from = text.indexOf('\n', Math.floor(text.length / 2));
    const kept = from < 0 ? '' : text.slice(from + 1);
    await this.file.close();
    await writeFile(`${this.path}.tmp`, kept);
    await rename(`${this.path}.tmp`, this.path);
    this.file = await open(this.path, 'a');
    this.size = Buffer.byteLength(kept);
  }
}
