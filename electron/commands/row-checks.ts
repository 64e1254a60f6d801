import { Worker } from 'node:worker_threads';
import type { CompiledTemplate } from '../../shared/template';
import { PhoneNormalizer } from '../core/recipients/phone-numbers';
import { readBatch, rowBatch, rowReading, type ReadBatch, type RowBatch, type RowReading } from './row-batch';

/** Beside the command line's bundle (scripts/build-node.js builds it as an entry of its own). */
const WORKER = new URL('./row-check-worker.js', import.meta.url);

/**
 * Reads batches of a preview's rows (number, time zones, message, its cost) in a worker thread, so that they are read
 * on a second core; the answers come back in the order asked. Until the worker has started, and where it
 * cannot start or stops, batches are read on this thread instead.
 */
export class RowChecks {
  private worker: Worker | null = null;
  /** Until the worker has started, batches are read here rather than wait for it. */
  private online = false;
  private readonly waiting: { batch: RowBatch; resolve: (read: ReadBatch) => void }[] = [];
  private normalizer: PhoneNormalizer | null = null;
  private reading: RowReading | null = null;
  private columns: number[] = [];

  /** Starts the worker: before the file is read, so that it loads meanwhile. */
  constructor(
    private readonly country: string,
    workerUrl: URL = WORKER,
  ) {
    try {
      const worker = new Worker(workerUrl, { workerData: { country } });
      worker.unref();
      worker.once('online', () => (this.online = true));
      worker.on('message', (read: ReadBatch) => this.waiting.shift()?.resolve(read));
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

  /** How the rows given from now on are read: the message, the file's phone and time-zone columns (null: none). */
  use(template: CompiledTemplate, phoneColumn: number | null, timeZoneColumn: number | null): void {
    const { reading, columns } = rowReading(template, phoneColumn, timeZoneColumn);
    this.reading = reading;
    this.columns = columns;
    this.worker?.postMessage({ reading });
  }

  check(rows: readonly (readonly string[])[]): Promise<ReadBatch> {
    const batch = rowBatch(rows, this.columns);
    const worker = this.worker;
    if (worker === null || !this.online) return Promise.resolve(this.readHere(batch));
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
    for (const { batch, resolve } of this.waiting.splice(0)) resolve(this.readHere(batch));
  }

  private readHere(batch: RowBatch): ReadBatch {
    this.normalizer ??= new PhoneNormalizer(this.country);
    return readBatch(batch, this.reading as RowReading, this.normalizer);
  }
}
