import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DroppedNote } from '../../../shared/api';
import {
  cutToBound,
  droppedNote,
  noteDropped,
  readDroppedLines,
  rotate,
  type DroppedLines,
  type Rotation,
} from '../storage/rotating-files';

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
/** 1 MB on disk at most: the file and the one before it. */
export const REJECTED_ROTATION: Rotation = { maxBytes: 512 * 1024, keep: 1 };

/**
 * Refused posts, one JSON line each, in a file bounded as the other logs are (see `Rotation`). Lines are written in
 * the background and are not synced; under a flood, posts arriving while a full file's worth waits to be written are
 * not kept. Both are counted in `dropped`.
 */
export class RejectedLog {
  private pending: string[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> | null = null;
  /** Posts not kept under a flood, since the last time they were added to the note. */
  private notKept = 0;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    private size: number,
    private readonly rotation: Rotation,
    private note: DroppedLines | null,
  ) {}

  static async open(path: string, rotation = REJECTED_ROTATION): Promise<RejectedLog> {
    await mkdir(dirname(path), { recursive: true });
    for (let i = 0; i <= rotation.keep; i++)
      await cutToBound(i === 0 ? path : `${path}.${i}`, rotation.maxBytes, path);
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    return new RejectedLog(path, await open(path, 'a'), size, rotation, await readDroppedLines(path));
  }

  /** What was deleted or not kept to stay within the bound; null while nothing was. */
  get dropped(): DroppedNote | null {
    return droppedNote(this.note, this.rotation, this.notKept);
  }

  add(post: Omit<RejectedPost, 'body' | 'truncated'>, body: Buffer): void {
    const kept = body.subarray(0, KEPT_BODY_BYTES);
    const line = `${JSON.stringify({ ...post, body: kept.toString('utf8'), truncated: body.length > kept.length })}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.pendingBytes + bytes > this.rotation.maxBytes) {
      this.notKept++;
      return;
    }
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
        if (this.size > 0 && this.size + bytes > this.rotation.maxBytes) await this.rotate();
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

  private async rotate(): Promise<void> {
    await this.file.close();
    try {
      await rotate(this.path, this.rotation.keep);
      const notKept = this.notKept;
      this.notKept = 0;
      this.note = await noteDropped(this.path, notKept);
    } finally {
      this.file = await open(this.path, 'a');
      this.size = (await this.file.stat()).size;
    }
  }
}
