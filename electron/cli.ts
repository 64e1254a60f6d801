/** The command-line shell: `campaign-desk send | preview | resume | report | simulator`. */
import { closestMatches } from '../shared/closest-match';
import { UsageError } from './commands/usage-error';
import { DeskError } from './core/errors';

interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}

// Each command is loaded only when it runs (or its help is asked for), with the libraries it uses.
const COMMANDS: Record<string, () => Promise<Command>> = {
  send: async () => {
    const { SEND_HELP, sendCommand } = await import('./commands/send');
    return { help: SEND_HELP, run: sendCommand };
  },
  preview: async () => {
    const { PREVIEW_HELP, previewCommand } = await import('./commands/preview');
    return { help: PREVIEW_HELP, run: previewCommand };
  },
  resume: async () => {
    const { RESUME_HELP, resumeCommand } = await import('./commands/resume');
    return { help: RESUME_HELP, run: resumeCommand };
  },
  report: async () => {
    const { REPORT_HELP, reportCommand } = await import('./commands/report');
    return { help: REPORT_HELP, run: reportCommand };
  },
  simulator: async () => {
    const { SIMULATOR_HELP, simulatorCommand } = await import('./commands/simulator');
    return { help: SIMULATOR_HELP, run: simulatorCommand };
  },
};

const OVERVIEW = `Usage: campaign-desk <command> [options]

Commands:
  send       Sends one message per row of a recipients CSV.
  preview    Prints every row of a recipients CSV as it would be sent.
  resume     Continues a paused, stopped or interrupted campaign.
  report     Writes a campaign's delivery report.
  simulator  Runs the IMIconnect simulator.

campaign-desk <command> --help shows what a command takes.

Exit codes: 0 done, 1 stopped by an error, 2 usage error, 3 paused (send and resume).`;

const HELP_FLAGS = ['--help', '-h'];

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(OVERVIEW);
    return 2;
  }
  if (name === 'help' || HELP_FLAGS.includes(name)) {
    const about = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    console.log(about ? (await about()).help : OVERVIEW);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const [near] = closestMatches(name, Object.keys(COMMANDS), 2, 1);
    console.error(`Unknown command "${name}".${near ? ` Did you mean ${near}?` : ''}\n\n${OVERVIEW}`);
    return 2;
  }
  const command = await load();
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.some((arg) => HELP_FLAGS.includes(arg))) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${command.help}`);
      return 2;
    }
    if (error instanceof DeskError) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
