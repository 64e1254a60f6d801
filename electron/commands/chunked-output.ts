import { once } from 'node:events';

/** The bytes gathered before one write. */
const CHUNK_BYTES = 1 << 20;

/**
 * Gathers output lines and writes them to stdout in large chunks, waiting while a pipe is full: a million
 * rows cost a few hundred writes instead of a million console.log calls, and memory stays bounded. Each line
 * is encoded into the chunk as it comes, so no line outlives its call (a million-row run then collects its
 * garbage young).
 */
export class ChunkedOutput {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  /** Adds a line; resolves at once unless a chunk was written to a full pipe. */
  line(text: string): Promise<void> | undefined {
    // UTF-8 takes at most 3 bytes per UTF-16 unit, and the line break 1.
    const most = text.length * 3 + 1;
    if (this.used + most > this.chunk.length) {
      if (most > CHUNK_BYTES) return this.flush().then(() => this.send(Buffer.from(`${text}\n`)));
      const flushed = this.flush();
      this.append(text);
      return flushed;
    }
    this.append(text);
    return undefined;
  }

  /** Adds a line of `head`, the UTF-8 text in `bytes` from `start` to `end`, and `tail`, as line() adds text. */
  lineAround(
    head: string,
    bytes: Buffer,
    start: number,
    end: number,
    tail: string,
  ): Promise<void> | undefined {
    const most = (head.length + tail.length) * 3 + (end - start) + 1;
    if (most > CHUNK_BYTES) return this.line(head + bytes.toString('utf8', start, end) + tail);
    const flushed = this.used + most > this.chunk.length ? this.flush() : undefined;
    this.used += this.chunk.write(head, this.used);
    this.used += bytes.copy(this.chunk, this.used, start, end);
    this.append(tail);
    return flushed;
  }

  /**
   * Adds a line of an ASCII `head`, then bytes encoded before (parts many lines share are encoded once, not once a
   * line): `middle`, the UTF-8 text in `bytes` from `start` to `end`, and `tail`.
   */
  lineOf(
    head: string,
    middle: Buffer,
    bytes: Buffer,
    start: number,
    end: number,
    tail: Buffer,
  ): Promise<void> | undefined {
    const most = head.length + middle.length + (end - start) + tail.length + 1;
    if (most > CHUNK_BYTES)
      return this.line(head + middle.toString() + bytes.toString('utf8', start, end) + tail.toString());
    const flushed = this.used + most > this.chunk.length ? this.flush() : undefined;
    const { chunk } = this;
    this.used += chunk.write(head, this.used, 'latin1');
    // TypedArray#set: for a few dozen bytes cheaper than Buffer#copy's call into C++.
    let used = this.used;
    chunk.set(middle, used);
    used += middle.length;
    chunk.set(bytes.subarray(start, end), used);
    used += end - start;
    chunk.set(tail, used);
    used += tail.length;
    chunk[used++] = 0x0a;
    this.used = used;
    return flushed;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    // The stream keeps the bytes it was given until they are out: the next lines go to a new chunk.
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    await this.send(full);
  }

  private append(text: string): void {
    this.used += this.chunk.write(text, this.used);
    this.chunk[this.used++] = 0x0a;
  }

  private async send(bytes: Buffer): Promise<void> {
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }
}
