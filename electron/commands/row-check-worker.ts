// Reads a preview's rows (number, message, its cost) on another core while the main thread parses the file
// and writes the lines: row-checks.ts starts it and speaks its messages.
import { parentPort, workerData } from 'node:worker_threads';
import { PhoneNormalizer } from '../core/recipients/phone-numbers';
import { readBatch, type RowBatch, type RowReading } from './row-batch';

const normalizer = new PhoneNormalizer((workerData as { country: string }).country);
const port = parentPort;
let reading: RowReading | null = null;
port?.on('message', (message: { reading: RowReading } | RowBatch) => {
  if ('reading' in message) {
    reading = message.reading;
    return;
  }
  const read = readBatch(message, reading as RowReading, normalizer);
  port.postMessage(read, [
    read.reasons.buffer,
    read.sizes.buffer,
    read.flags.buffer,
    read.messages.buffer,
    read.messageEnds.buffer,
    read.zones.buffer,
  ]);
});
