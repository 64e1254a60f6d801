import { RequestOptions } from '../../shared/api';
import { expiryPassed, PRIORITIES } from '../../shared/request-options';
import { UsageError } from './args';

/** The flags of `send` that set the campaign's request options, as parseArgs takes them. */
export const REQUEST_OPTION_FLAGS = {
  expiry: { type: 'string' },
  priority: { type: 'string' },
  template: { type: 'string' },
  'template-param': { type: 'string', multiple: true, default: [] as string[] },
  'dlt-template': { type: 'string' },
} as const;

export interface RequestOptionFlagValues {
  expiry?: string;
  priority?: string;
  template?: string;
  'template-param': string[];
  'dlt-template'?: string;
}

const { shape } = RequestOptions;

/** The request options the flags give, checked by the contract's own rules; a bad value is a usage error. */
export function requestOptionsFromFlags(values: RequestOptionFlagValues, now = Date.now()): RequestOptions {
  const options: RequestOptions = {};
  if (values.expiry !== undefined) {
    const expiry = shape.expiry.safeParse(values.expiry).data;
    if (expiry === undefined || expiryPassed(expiry, now))
      throw new UsageError(
        `--expiry takes a date and time in the future with its zone, e.g. 2030-01-31T18:00:00Z, not "${values.expiry}".`,
      );
    options.expiry = expiry;
  }
  if (values.priority !== undefined) {
    const priority = PRIORITIES.find((p) => String(p) === values.priority);
    if (priority === undefined)
      throw new UsageError(`--priority takes 1 (low), 2 (medium) or 3 (high), not "${values.priority}".`);
    options.priority = priority;
  }
  if (values.template !== undefined) {
    options.template = templateFromFlags(values.template, values['template-param']);
  } else if (values['template-param'].length > 0) {
    throw new UsageError('--template-param needs --template ID: it gives a parameter of that template.');
  }
  if (values['dlt-template'] !== undefined) {
    const dlt = shape.dltTemplateId.safeParse(values['dlt-template']).data;
    if (dlt === undefined)
      throw new UsageError(
        `--dlt-template takes the DLT template ID, digits only, not "${values['dlt-template']}".`,
      );
    options.dltTemplateId = dlt;
  }
  return options;
}

function templateFromFlags(id: string, params: readonly string[]): RequestOptions['template'] {
  if (!shape.template.safeParse({ id }).success)
    throw new UsageError(
      `--template takes the platform template's ID, 1 to 100 characters without spaces, not "${id}".`,
    );
  const parameters: Record<string, string> = {};
  for (const param of params) {
    const [, name, value] = param.match(/^([^=]+)=(.*)$/s) ?? [];
    if (name === undefined || !shape.template.safeParse({ id, parameters: { [name]: value } }).success)
      throw new UsageError(
        `--template-param takes NAME=VALUE, NAME 1 to 100 letters, digits, _, - or . and VALUE at most 1000 characters, not "${param}".`,
      );
    if (Object.hasOwn(parameters, name)) throw new UsageError(`--template-param gives "${name}" twice.`);
    parameters[name] = value as string;
  }
  const template = shape.template.safeParse({ id, parameters }).data;
  if (template === undefined) throw new UsageError('--template takes at most 50 --template-param.');
  return template;
}
