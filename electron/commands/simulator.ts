import { runSimulatorCommand } from '../core/simulator/standalone';
import { positiveInt } from './args';
import { parseCommandArgs } from './parse-command-args';

export const SIMULATOR_HELP = `Usage: campaign-desk simulator [options]

Runs the IMIconnect simulator on 127.0.0.1, with both send APIs, until stopped.

Options:
  --port N                 The port (default 4010).
  --key KEY                The service key it accepts (default: a random one, printed).

Exit codes: 2 usage error.`;

export async function simulatorCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('simulator', {
    args,
    options: { port: { type: 'string', default: '4010' }, key: { type: 'string' } },
  });
  await runSimulatorCommand({ port: positiveInt(values.port, '--port'), key: values.key });
  await new Promise(() => undefined);
  return 0;
}
