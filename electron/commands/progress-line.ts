/** Shown only after this long: a short preview prints no progress at all. */
const AFTER_MS = 1000;
const EVERY_MS = 250;

/** "Reading rows… 42 %" on a terminal's stderr, rewritten in place while a long read runs; nothing elsewhere. */
export class ProgressLine {
  private readonly started = performance.now();
  private shownAt = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  show(fraction: number): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.started < AFTER_MS || now - this.shownAt < EVERY_MS) return;
    this.shownAt = now;
    this.stream.write(`\rReading rows… ${Math.floor(fraction * 100)} %\x1b[K`);
  }

  clear(): void {
    if (this.shownAt > 0) this.stream.write('\r\x1b[K');
  }
}
