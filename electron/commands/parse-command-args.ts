import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './args';
import { closestMatches } from '../../shared/closest-match';

/** parseArgs for one command, whose mistakes (unknown option, missing value, …) become a UsageError in plain words. */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw usageErrorOf(command, Object.keys(config.options ?? {}), error);
  }
}

function usageErrorOf(command: string, options: string[], error: unknown): unknown {
  if (!(error instanceof Error) || !('code' in error)) return error;
  // Node's messages quote what was wrong: the option, or the argument.
  const quoted = error.message.match(/'(-[^' ]+|[^']*)/)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(unknownOption(command, quoted, options));
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (error.message.includes('does not take an argument'))
        return new UsageError(`${quoted} takes no value.`);
      if (error.message.includes('ambiguous'))
        return new UsageError(
          `${quoted} needs a value; to give one starting with a dash, write ${quoted}=-VALUE.`,
        );
      return new UsageError(`${quoted} needs a value.`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`${command} takes no arguments, not "${quoted}".`);
    default:
      return error;
  }
}

function unknownOption(command: string, given: string, options: string[]): string {
  const name = given.replace(/^-+/, '').split('=')[0] as string;
  const [best] = closestMatches(name, options, Math.max(2, Math.floor(name.length / 3)), 1);
  const shown = given.split('=')[0];
  return `Unknown option ${shown} for ${command}.${best ? ` Did you mean --${best}?` : ''}`;
}
