import type { RequestOptions } from '../../../shared/api';
import { compileTemplate, renderMessage, type CompiledTemplate } from '../../../shared/template';

export interface CompiledRequestOptions {
  /** Template parameters whose value names a column the file does not have, with those names. */
  readonly unknown: readonly { parameter: string; names: readonly string[] }[];
  /** The options for one row: each template parameter's `$(column)` placeholders filled in as in the message. */
  render(values: readonly string[]): RequestOptions;
}

export function compileRequestOptions(
  options: RequestOptions,
  columns: readonly string[],
): CompiledRequestOptions {
  const { template } = options;
  const parameters: [string, CompiledTemplate][] = Object.entries(template?.parameters ?? {}).map(
    ([name, value]) => [name, compileTemplate(value, columns)],
  );
  return {
    unknown: parameters
      .filter(([, compiled]) => compiled.unknown.length > 0)
      .map(([parameter, compiled]) => ({ parameter, names: compiled.unknown })),
    render: (values) =>
      template === undefined
        ? options
        : {
            ...options,
            template: {
              id: template.id,
              parameters: Object.fromEntries(
                parameters.map(([name, compiled]) => [name, renderMessage(compiled, values).text]),
              ),
            },
          },
  };
}
