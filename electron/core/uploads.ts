import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeskError } from './errors';

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

type Upload = { path: string; owned: boolean };

/**
 * Files handed to the core by a shell before a call names them: the browser shell streams the bytes
 * here; Electron registers the path the user picked. An upload is read once.
 */
export class Uploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly dir: string) {}

  /** Uploads live for one run: what an earlier run left (an import cancelled after its upload) goes. */
  async clearLeftovers(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async receive(body: Readable): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const id = randomUUID();
    const path = join(this.dir, id);
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES)
        body.destroy(new DeskError('upload-too-large', 'The file is larger than 512 MB.'));
    });
    try {
      await pipeline(body, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    this.uploads.set(id, { path, owned: true });
    return id;
  }

  register(path: string): string {
    const id = randomUUID();
    this.uploads.set(id, { path, owned: false });
    return id;
  }

  async take(id: string): Promise<Uint8Array> {
    const upload = this.uploads.get(id);
    if (!upload) throw new DeskError('unknown-upload', 'The file was not received; choose it again.');
    this.uploads.delete(id);
    try {
      return await readFile(upload.path);
    } finally {
      if (upload.owned) await rm(upload.path, { force: true });
    }
  }
}
