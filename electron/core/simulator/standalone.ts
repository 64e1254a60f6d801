import { randomBytes } from 'node:crypto';
import { startSimulator, type Simulator } from './simulator.js';

/** Starts the simulator for the CLI; the open server keeps the process running. */
export async function runSimulatorCommand(args: { port: number; key?: string }): Promise<Simulator> {
  const key = args.key ?? randomBytes(16).toString('hex');
  const simulator = await startSimulator({ port: args.port, keys: [key] });
  console.log(`IMIconnect simulator listening on ${simulator.url} (key: ${key})`);
  return simulator;
}
