import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/commands/args';
import {
  requestOptionsFromFlags,
  type RequestOptionFlagValues,
} from '../../electron/commands/request-option-flags';

const NOW = Date.parse('2030-01-01T00:00:00Z');

function parse(values: Partial<RequestOptionFlagValues>) {
  return requestOptionsFromFlags({ 'template-param': [], ...values }, NOW);
}

function usageError(values: Partial<RequestOptionFlagValues>): string {
  try {
    parse(values);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${JSON.stringify(values)}`);
}

describe('the request option flags of send', () => {
  it('give the options, the expiry in UTC and the parameters as NAME=VALUE split at the first =', () => {
    expect(parse({})).toEqual({});
    expect(
      parse({
        expiry: '2030-01-31T23:30:00+05:30',
        priority: '2',
        template: 'order-ready',
        'template-param': ['name=$(name)', 'link=https://x.test/?a=b'],
        'dlt-template': '1107160000000000000',
      }),
    ).toEqual({
      expiry: '2030-01-31T18:00:00.000Z',
      priority: 2,
      template: { id: 'order-ready', parameters: { name: '$(name)', link: 'https://x.test/?a=b' } },
      dltTemplateId: '1107160000000000000',
    });
    expect(parse({ template: 'bare' })).toEqual({ template: { id: 'bare', parameters: {} } });
  });

  it('say in one line what each takes', () => {
    const cases: [Partial<RequestOptionFlagValues>, string][] = [
      [{ priority: '4' }, '--priority takes 1 (low), 2 (medium) or 3 (high), not "4".'],
      [{ priority: '3.0' }, '--priority takes 1 (low), 2 (medium) or 3 (high), not "3.0".'],
      [
        { expiry: '2030-01-31 18:00' },
        '--expiry takes a date and time in the future with its zone, e.g. 2030-01-31T18:00:00Z, not "2030-01-31 18:00".',
      ],
      [
        { expiry: '2029-12-31T23:59:59Z' },
        '--expiry takes a date and time in the future with its zone, e.g. 2030-01-31T18:00:00Z, not "2029-12-31T23:59:59Z".',
      ],
      [
        { 'template-param': ['a=1'] },
        '--template-param needs --template ID: it gives a parameter of that template.',
      ],
      [
        { template: 'two words' },
        `--template takes the platform template's ID, 1 to 100 characters without spaces, not "two words".`,
      ],
      [
        { template: 't', 'template-param': ['=1'] },
        '--template-param takes NAME=VALUE, NAME 1 to 100 letters, digits, _, - or . and VALUE at most 1000 characters, not "=1".',
      ],
      [{ template: 't', 'template-param': ['first name=Ann'] }, '--template-param takes NAME=VALUE'],
      [{ template: 't', 'template-param': ['a'] }, '--template-param takes NAME=VALUE'],
      [{ template: 't', 'template-param': ['a=1', 'a=2'] }, '--template-param gives "a" twice.'],
      [
        { template: 't', 'template-param': Array.from({ length: 51 }, (_, i) => `p${i}=v`) },
        '--template takes at most 50 --template-param.',
      ],
      [{ 'dlt-template': 'DLT1' }, '--dlt-template takes the DLT template ID, digits only, not "DLT1".'],
    ];
    for (const [values, said] of cases) {
      const message = usageError(values);
      expect(message, JSON.stringify(values)).toContain(said);
      expect(message).not.toContain('\n');
    }
  });
});
