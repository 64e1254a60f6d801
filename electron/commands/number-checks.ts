import { Worker } from 'node:worker_threads';
import { PhoneNormalizer } from '../core/recipients/phone-numbers';
import { cellBatch, checkBatch, type CellBatch, type CheckedBatch } from './number-batch';

/** Beside the command line's bundle (scripts/build-node.js builds it as an entry of its own). */
const WORKER = new URL('./number-check-worker.js', import.meta.url);

/**
 * Reads batches of phone cells (E.164 number or missing/invalid) in a worker thread, so that a preview's
 * number checks run on a second core; the answers come back in the order asked. Until the worker has
 * started, and where it cannot start or stops, batches are read on this thread instead.
 */
export class NumberChecks {
  private worker: Worker | null = null;
  private readonly waiting: { batch: CellBatch; resolve: (checked: CheckedBatch) => void }[] = [];
  private normalizer: PhoneNormalizer | null = null;
  /** Until the worker has started, batches are read here rather than wait for it. */
  private online = false;

  constructor(
    private readonly country: string,
    workerUrl: URL = WORKER,
  ) {
    try {
      const worker = new Worker(workerUrl, { workerData: { country } });
      worker.unref();
      worker.once('online', () => (this.online = true));
      worker.on('message', (checked: CheckedBatch) => this.waiting.shift()?.resolve(checked));
      worker.on('error', () => this.inline());
      worker.on('exit', () => this.inline());
      this.worker = worker;
    } catch {
      this.worker = null;
    }
  }

  /** Whether batches go to the worker: once it has started, until it fails or is closed. */
  get threaded(): boolean {
    return this.worker !== null && this.online;
  }

  check(cells: readonly string[]): Promise<CheckedBatch> {
    const batch = cellBatch(cells);
    const worker = this.worker;
    if (worker === null || !this.online) return Promise.resolve(checkBatch(batch, this.inlineNormalizer()));
    return new Promise((resolve) => {
      this.waiting.push({ batch, resolve });
      worker.postMessage(batch);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.inline();
    await worker?.terminate();
  }

  private inline(): void {
    this.worker = null;
    const normalizer = this.inlineNormalizer();
    for (const { batch, resolve } of this.waiting.splice(0)) resolve(checkBatch(batch, normalizer));
  }

  private inlineNormalizer(): PhoneNormalizer {
    return (this.normalizer ??= new PhoneNormalizer(this.country));
  }
}
