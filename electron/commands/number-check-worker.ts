// Reads a preview's phone cells on another core while the main thread parses and renders: number-checks.ts
// starts it and speaks its messages.
import { parentPort, workerData } from 'node:worker_threads';
import { PhoneNormalizer } from '../core/recipients/phone-numbers';
import { checkBatch, type CellBatch } from './number-batch';

const normalizer = new PhoneNormalizer((workerData as { country: string }).country);
const port = parentPort;
port?.on('message', (batch: CellBatch) => {
  const checked = checkBatch(batch, normalizer);
  port.postMessage(checked, [checked.reasons.buffer]);
});
