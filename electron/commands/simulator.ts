import { parseArgs } from 'node:util';
import { runSimulatorCommand } from '../core/simulator/standalone';
import { positiveInt } from './args';

export async function simulatorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string', default: '4010' }, key: { type: 'string' } },
  });
  await runSimulatorCommand({ port: positiveInt(values.port, '--port'), key: values.key });
  await new Promise(() => undefined);
  return 0;
}
