import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeDesk } from '../../electron/core/node-desk';
import { startSimulator, type Simulator } from '../../electron/core/simulator/simulator';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'fixtures', 'cli-recipients.csv');
const KEY = 'external-service-key-42af';
const WRONG_KEY = 'not-the-key-9c8b7a6d5e4f';
const FINAL = ['delivered', 'undelivered', 'failed', 'expired'];

let tmp: string;
const simulators: Simulator[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cli-test-'));
});

afterAll(async () => {
  for (const sim of simulators) await sim.close();
  await rm(tmp, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { ...process.env };
  delete base.CAMPAIGN_DESK_KEY;
  delete base.CAMPAIGN_DESK_HOME;
  delete base.CAMPAIGN_DESK_PASSPHRASE;
  // Numbers without a country code are read as the locale's country's: the fixtures' are American.
  base.LANG = base.LC_ALL = 'en_US.UTF-8';
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/campaign-desk.js', ...args],
      { cwd: ROOT, env: { ...base, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function dir(name: string): string {
  return join(tmp, name);
}

/** The report as written: a byte order mark, then CSV. */
async function readReport(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

async function externalSimulator(): Promise<Simulator> {
  const sim = await startSimulator({ keys: [KEY], failureShare: 0, submittedDelayMs: 5, finalDelayMs: 10 });
  simulators.push(sim);
  return sim;
}

describe.concurrent('campaign-desk send', () => {
  it('sends through the built-in simulator, waits for reports and writes the report', async () => {
    const home = dir('sandbox-text');
    const report = join(home, 'r.csv');
    const run = await cli([
      'send',
      FIXTURE,
      '--text',
      'Hi $(name)',
      '--sender',
      'ACME',
      '--data-dir',
      home,
      '--report',
      report,
      '--wait',
      '10',
    ]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Campaign [a-z0-9-]+: 4 rows, 2 ready, 2 skipped$/m);
    expect(run.stdout).toMatch(/^Sent: /m);
    expect(run.stdout).toContain(`Report written to ${report}`);
    expect(run.stdout).not.toContain('had not arrived');

    const [header, ...rows] = await readReport(report);
    expect(header).toEqual([
      'name',
      'phone',
      'cd_number',
      'cd_message',
      'cd_segments',
      'cd_status',
      'cd_status_text',
      'cd_code',
      'cd_description',
      'cd_transid',
      'cd_sent_at',
      'cd_delivered_at',
      'cd_settled_by',
    ]);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['Ann', '+14155552671', '+14155552671', 'Hi Ann', '1'],
      ['Bob', '(415) 555-2672', '+14155552672', 'Hi Bob', '1'],
      ['Ann twin', '+1 415 555 2671', '+14155552671', 'Hi Ann twin', '1'],
      ['Nobody', '12', '', 'Hi Nobody', '1'],
    ]);
    for (const row of rows.slice(0, 2)) {
      expect(FINAL).toContain(row[5]);
      expect(row[7]).toMatch(/^7\d{3}$/);
      expect(row[9]).toMatch(/^[0-9a-f-]{36}(_\d+)?$/);
      expect(Date.parse(row[11] ?? '')).not.toBeNaN();
    }
    expect(rows[2]?.[5]).toBe('skipped: duplicate');
    expect(rows[3]?.[5]).toBe('skipped: invalid-number');
  });

  it('exits 2 with the usage when --text is missing', async () => {
    const run = await cli(['send', FIXTURE, '--sender', 'ACME', '--data-dir', dir('no-text')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('send needs --text <template>.');
    expect(run.stderr).toContain('Usage:');
    expect(run.stdout).toBe('');
  });

  it("refuses what the calls' schemas refuse, in their words, and sends nothing (send and resume alike)", async () => {
    const home = dir('too-fast');
    const args = ['--rate', '20000', '--data-dir', home];
    const sent = await cli([
      'send',
      FIXTURE,
      '--text',
      'Hi',
      '--sender',
      'ACME',
      '--campaign-id',
      'too-fast',
      '--yes',
      ...args,
    ]);
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain('Error: ✖ A rate is at most 10,000 messages a second.');
    expect(sent.stdout).toContain('Campaign too-fast:');
    const resumed = await cli(['resume', 'too-fast', ...args]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('Error: ✖ A rate is at most 10,000 messages a second.');
    const desk = await startNodeDesk(home, { restoreSchedules: false });
    try {
      const view = await desk.call('campaigns.get', { id: 'too-fast' });
      expect(view).toMatchObject({ state: 'draft', startedAt: null });
    } finally {
      await desk.close();
    }
  });

  it('exits 2 when --api-url is given without CAMPAIGN_DESK_KEY', async () => {
    const run = await cli([
      'send',
      FIXTURE,
      '--text',
      'Hi',
      '--sender',
      'ACME',
      '--no-window',
      '--api-url',
      'http://127.0.0.1:9',
      '--data-dir',
      dir('no-key'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'With --api-url the service key must be in the CAMPAIGN_DESK_KEY environment variable.',
    );
  });

  it('exits 2 without sending the key when --api-url is plain http to another computer', async () => {
    const run = await cli(
      [
        'send',
        FIXTURE,
        '--text',
        'Hi',
        '--sender',
        'ACME',
        '--no-window',
        '--api-url',
        'http://api.imiconnect.com',
      ],
      { CAMPAIGN_DESK_KEY: 'live-key-7c1e9b2a4d6f8e0a', CAMPAIGN_DESK_HOME: dir('plain-http') },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--api-url must start with https:// (http:// only for an address on this computer, such as localhost or 127.0.0.1), so that the key is sent encrypted.',
    );
    expect(run.stdout).toBe('');
  });

  it('sends through an external service given by --api-url with the key from the environment, and prints JSON lines', async () => {
    const sim = await externalSimulator();
    const home = dir('external');
    const report = join(home, 'r.csv');
    const run = await cli(
      [
        'send',
        FIXTURE,
        '--text',
        'Hi $(name)',
        '--sender',
        'ACME',
        '--no-window',
        '--api-url',
        sim.url,
        '--rate',
        '100',
        '--data-dir',
        home,
        '--report',
        report,
        '--wait',
        '10',
        '--json',
      ],
      { CAMPAIGN_DESK_KEY: KEY },
    );
    expect(run.code).toBe(0);
    // --json prints only JSON lines: the campaign first, its phone column, the send plan, progress, the summary last.
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; campaign: string });
    expect(lines[0]).toEqual({
      event: 'campaign',
      campaign: expect.stringMatching(/^[a-z0-9-]+$/),
      rows: 4,
      ready: 2,
      skipped: 2,
    });
    expect(lines[1]).toMatchObject({ event: 'phone-column', column: 'phone', given: false });
    expect(lines[2]).toMatchObject({
      event: 'plan',
      campaignId: lines[0]?.campaign,
      ready: 2,
      digest: expect.stringMatching(/^[a-f0-9]{64}$/),
    });
    expect(lines.slice(3, -1).every((line) => line.event === 'progress')).toBe(true);
    const summary = lines.at(-1) as { campaign: string };
    expect(summary).toEqual({
      event: 'summary',
      campaign: lines[0]?.campaign,
      state: 'completed',
      settled: true,
      counts: { delivered: 2, skipped: 2 },
      error: null,
      journalDamage: [],
      report,
    });
    // The campaign and its journal live in the data directory.
    const journal = await readFile(join(home, 'campaigns', summary.campaign, 'journal.ndjson'), 'utf8');
    expect(journal).toContain('"t":"end"');
    expect(
      sim.accepted.map((m) => ({
        correlationid: m.correlationid,
        msisdn: m.msisdn,
        text: m.text,
        senderid: m.senderid,
      })),
    ).toEqual([
      { correlationid: `${summary.campaign}.0`, msisdn: '+14155552671', text: 'Hi Ann', senderid: 'ACME' },
      { correlationid: `${summary.campaign}.1`, msisdn: '+14155552672', text: 'Hi Bob', senderid: 'ACME' },
    ]);
    for (const m of sim.accepted)
      expect(m.notifyurl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32,}\/dr$/);
    expect(sim.failedPosts).toEqual([]);
    const rows = await readReport(report);
    expect(rows.slice(1).map((r) => [r[5], r[9]])).toEqual([
      ['delivered', sim.accepted[0]?.transid],
      ['delivered', sim.accepted[1]?.transid],
      ['skipped: duplicate', ''],
      ['skipped: invalid-number', ''],
    ]);
  });

  it('sends through the Send SMS API with --api sms (or a full /v1/sms/messages address), one message a request', async () => {
    for (const [name, api] of [
      ['sms-flag', ['--no-window', '--api-url', 'BASE', '--api', 'sms']],
      ['sms-path', ['--no-window', '--api-url', 'BASE/v1/sms/messages']],
    ] as const) {
      const sim = await externalSimulator();
      const home = dir(name);
      const run = await cli(
        [
          'send',
          FIXTURE,
          '--text',
          'Hi $(name) {{link_5}}',
          '--sender',
          'ACME',
          '--smartlink',
          '5:90m',
          ...api.map((a) => a.replace('BASE', sim.url)),
          '--data-dir',
          home,
          '--report',
          join(home, 'r.csv'),
          '--json',
        ],
        { CAMPAIGN_DESK_KEY: KEY },
      );
      // The Send SMS API has no smartlinks: the campaign is refused before anything is sent.
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr + run.stdout).toContain('smartlink');
      expect(sim.accepted).toEqual([]);

      const plain = await cli(
        [
          'send',
          FIXTURE,
          '--text',
          'Hi $(name)',
          '--sender',
          'ACME',
          ...api.map((a) => a.replace('BASE', sim.url)),
        ].concat(['--data-dir', home, '--report', join(home, 'p.csv'), '--json', '--wait', '10']),
        { CAMPAIGN_DESK_KEY: KEY },
      );
      expect(plain.code, plain.stderr).toBe(0);
      expect(JSON.parse(plain.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
        state: 'completed',
        settled: true,
        counts: { delivered: 2, skipped: 2 },
      });
      expect(sim.requests.map((r) => r.destinations)).toEqual([1, 1]);
      expect(sim.accepted.map((m) => m.msisdn).sort()).toEqual(['+14155552671', '+14155552672']);
    }
  }, 90_000);

  it('sends numbers without their plus with --without-plus, and smartlinks with their validity in minutes', async () => {
    const sim = await externalSimulator();
    const home = dir('without-plus');
    const run = await cli(
      ['send', FIXTURE, '--text', 'Hi $(name) {{link_5}}', '--sender', 'ACME', '--smartlink', '5:2h']
        .concat([
          '--no-window',
          '--api-url',
          sim.url,
          '--without-plus',
          '--data-dir',
          home,
          '--report',
          join(home, 'r.csv'),
        ])
        .concat(['--wait', '10']),
      { CAMPAIGN_DESK_KEY: KEY },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(sim.accepted.map((m) => [m.msisdn, m.smartlinks])).toEqual([
      ['14155552671', [{ linkid: 5, validity: 120 }]],
      ['14155552672', [{ linkid: 5, validity: 120 }]],
    ]);
  });

  it('exits 2 on an unknown --api or a --smartlink without a unit', async () => {
    const home = dir('bad-flags');
    const badApi = await cli(
      [
        'send',
        FIXTURE,
        '--text',
        'Hi',
        '--sender',
        'A',
        '--no-window',
        '--api-url',
        'http://127.0.0.1:9',
        '--api',
        'v2',
        '--data-dir',
        home,
      ],
      { CAMPAIGN_DESK_KEY: KEY },
    );
    expect(badApi.code).toBe(2);
    expect(badApi.stderr).toContain('--api takes "messaging" (Messaging API v1) or "sms" (Send SMS API)');
    const badLink = await cli([
      'send',
      FIXTURE,
      '--text',
      'Hi {{link_5}}',
      '--sender',
      'A',
      '--smartlink',
      '5:30',
      '--data-dir',
      home,
    ]);
    expect(badLink.code).toBe(2);
    expect(badLink.stderr).toContain('m (minutes), h (hours) or d (days)');
  });

  it('stops with exit 1 when the external service refuses the key, without printing it', async () => {
    const sim = await externalSimulator();
    const home = dir('wrong-key');
    const run = await cli(
      [
        'send',
        FIXTURE,
        '--text',
        'Hi $(name)',
        '--sender',
        'ACME',
        '--no-window',
        '--api-url',
        `${sim.url}/resources/v1/messaging`,
        '--data-dir',
        home,
        '--report',
        join(home, 'r.csv'),
        '--wait',
        '1',
      ],
      { CAMPAIGN_DESK_KEY: WRONG_KEY },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Stopped: /m);
    expect(run.stdout).toMatch(/^Error: .*key/im);
    expect(run.stdout + run.stderr).not.toContain(WRONG_KEY);
    expect(sim.accepted).toEqual([]);
    const rows = await readReport(join(home, 'r.csv'));
    expect(rows.slice(1).map((r) => r[5])).toEqual([
      'ready',
      'ready',
      'skipped: duplicate',
      'skipped: invalid-number',
    ]);
  });
});

// Run after the block above, not alongside it, so that their processes do not slow its tests past their timeout.
describe('campaign-desk send: request options', () => {
  it('sends the request options given by --expiry, --priority, --template, --template-param and --dlt-template', async () => {
    const sim = await externalSimulator();
    const home = dir('request-options');
    const run = await cli(
      ['send', FIXTURE, '--text', 'Hi $(name)', '--sender', 'ACME', '--no-window', '--api-url', sim.url]
        .concat([
          '--expiry',
          '2099-01-31T23:30:00+05:30',
          '--priority',
          '3',
          '--dlt-template',
          '1107160000000000000',
        ])
        .concat([
          '--template',
          'order-ready',
          '--template-param',
          'name=$(name)',
          '--template-param',
          'shop=A=B',
        ])
        .concat(['--data-dir', home, '--report', join(home, 'r.csv'), '--wait', '10']),
      { CAMPAIGN_DESK_KEY: KEY },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(sim.accepted.map((m) => m.options)).toEqual(
      ['Ann', 'Bob'].map((name) => ({
        expiry: '2099-01-31T18:00:00.000Z',
        priority: '3',
        template: 'order-ready',
        parameters: { name, shop: 'A=B' },
        dltTemplateId: '1107160000000000000',
      })),
    );
  });

  it('warns that --priority is not sent through the Send SMS API, and refuses --template there', async () => {
    const sim = await externalSimulator();
    const home = dir('request-options-sms');
    const base = [
      'send',
      FIXTURE,
      '--text',
      'Hi $(name)',
      '--sender',
      'ACME',
      '--no-window',
      '--api-url',
      sim.url,
    ].concat(['--api', 'sms', '--data-dir', home, '--wait', '10']);
    const priority = await cli(base.concat(['--priority', '2', '--report', join(home, 'p.csv')]), {
      CAMPAIGN_DESK_KEY: KEY,
    });
    expect(priority.code, priority.stderr).toBe(0);
    expect(priority.stderr).toContain(
      'Warning: --priority is not sent: the Send SMS API documents no priority.',
    );
    expect(sim.accepted.map((m) => m.options)).toEqual([{}, {}]);
    const template = await cli(base.concat(['--template', 'order-ready', '--report', join(home, 't.csv')]), {
      CAMPAIGN_DESK_KEY: KEY,
    });
    expect(template.code).toBe(1);
    expect(template.stderr).toContain('names no field for a template ID');
    expect(sim.accepted).toHaveLength(2);
  });

  it('exits 2 with what is expected for a bad request option', async () => {
    const home = dir('bad-request-options');
    const cases: [string[], string][] = [
      [['--priority', 'high'], '--priority takes 1 (low), 2 (medium) or 3 (high), not "high".'],
      [
        ['--template-param', 'name=x'],
        '--template-param needs --template ID: it gives a parameter of that template.',
      ],
    ];
    const runs = await Promise.all(
      cases.map(([flags]) =>
        cli(['send', FIXTURE, '--text', 'Hi', '--sender', 'A', ...flags, '--data-dir', home]),
      ),
    );
    runs.forEach((run, i) => {
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(cases[i]?.[1]);
      expect(run.stderr).toContain('Usage:');
      expect(run.stdout).toBe('');
    });
  });
});

// One at a time: each spawns the CLI, and several at once can outrun the timeout on a busy machine.
describe('campaign-desk usage', () => {
  it('exits 2 on an unknown option with one line naming it and the closest option, then the command help', async () => {
    const run = await cli(['send', FIXTURE, '--text', 'Hi', '--sender', 'A', '--contry', 'GB']);
    expect(run.code).toBe(2);
    const [line, blank, usage] = run.stderr.split('\n');
    expect(line).toBe('Unknown option --contry for send. Did you mean --country?');
    expect(blank).toBe('');
    expect(usage).toBe(
      'Usage: campaign-desk send <recipients.csv> --text <template> --sender <id> [options]',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 on a missing value or an unexpected argument, with that command help', async () => {
    const [missing, positional] = await Promise.all([
      cli(['preview', FIXTURE, '--text']),
      cli(['simulator', 'now']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('--text needs a value.');
    expect(missing.stderr).toContain('Usage: campaign-desk preview');
    expect(positional.code).toBe(2);
    expect(positional.stderr.split('\n')[0]).toBe('simulator takes no arguments, not "now".');
    expect(positional.stderr).toContain('Usage: campaign-desk simulator');
  });

  it('prints a command help with --help and exits 0, and the overview with campaign-desk --help', async () => {
    const [send, report, overview] = await Promise.all([
      cli(['send', '--help']),
      cli(['report', 'some-id', '-h']),
      cli(['--help']),
    ]);
    for (const [run, command] of [
      [send, 'send'],
      [report, 'report'],
    ] as const) {
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: campaign-desk ${command} `));
      expect(run.stderr).toBe('');
    }
    expect(overview.code).toBe(0);
    for (const c of ['send', 'preview', 'resume', 'report', 'simulator'])
      expect(overview.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('exits 2 on an unknown command, suggesting the closest', async () => {
    const run = await cli(['sned']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('Unknown command "sned". Did you mean send?');
  });
});

describe('campaign-desk --country', () => {
  it('exits 2 on a code that is not ISO 3166, suggesting the one meant', async () => {
    const run = await cli(['send', FIXTURE, '--text', 'Hi', '--sender', 'A', '--country', 'UK']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      '--country takes an ISO 3166 country code such as GB, not "UK". Did you mean GB (United Kingdom)?',
    );
    expect(run.stderr).toContain('Usage: campaign-desk send');
  });

  it("reads numbers without a country code as the system locale's country's, and says so", async () => {
    const file = join(tmp, 'uk-people.csv');
    await writeFile(file, 'name,phone\nAnn,07911 123456\nBob,+44 7911 123457\n');
    const args = ['preview', file, '--text', 'Hi', '--json', '--data-dir', dir('uk-locale')];
    const run = await cli(args, { LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8' });
    expect(run.code).toBe(0);
    expect(run.stderr.trim()).toBe(
      'Numbers without a country code are read as GB (United Kingdom), the country of the system locale en-GB. Choose another with --country.',
    );
    const rows = run.stdout
      .trim()
      .split('\n')
      .slice(0, 2)
      .map((l) => JSON.parse(l) as { msisdn: string });
    expect(rows.map((r) => r.msisdn)).toEqual(['+447911123456', '+447911123457']);
    const chosen = await cli([...args, '--country', 'gb'], { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' });
    expect(chosen.code).toBe(0);
    expect(chosen.stderr).toBe('');
  });
});
