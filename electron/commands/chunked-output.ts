import { once } from 'node:events';

/** About how much text is gathered before one write. */
const CHUNK_CHARS = 1 << 20;

/**
 * Gathers output lines and writes them to stdout in large chunks, waiting while a pipe is full: a million
 * rows cost a few hundred writes instead of a million console.log calls, and memory stays bounded.
 */
export class ChunkedOutput {
  private pending = '';

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  /** Adds a line; resolves at once unless a chunk was written to a full pipe. */
  line(text: string): Promise<void> | undefined {
    this.pending += `${text}\n`;
    return this.pending.length >= CHUNK_CHARS ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
