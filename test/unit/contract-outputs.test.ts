import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ApiErrorBody,
  calls,
  commandLineCalls,
  type AnyCallInput,
  type CallInput,
  type CallName,
  type CallOutput,
  type CommandLineCallName,
  type CommandLineService,
} from '../../shared/api';
import type { Desk } from '../../electron/core/desk';
import { dispatch } from '../../electron/core/dispatch';
import { startSimulator } from '../../electron/core/simulator/simulator';
import { QUIET_SANDBOX, recipientsCsv, tempHome, waitFor, type Home } from './sending-support';

/**
 * Every call of the contract, made through dispatch as the shells make them, answers what its schema declares:
 * nothing missing, nothing of another shape, and nothing more (a field the schema does not name would be dropped
 * by the renderer's parse, or leak what should stay in the core).
 */
describe('the API contract', () => {
  let home: Home;
  let desk: Desk;
  const exercised = new Set<CallName>();

  beforeAll(async () => {
    home = await tempHome();
    desk = await home.start({
      sandbox: { ...QUIET_SANDBOX, failureShare: 0.5 },
      unknownGraceMs: 0,
      statusLookupAfterMs: null,
    });
  });
  afterAll(() => home.cleanup());

  async function exercise<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await dispatch(desk.handlers, name, input);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
    const schema = calls[name].output as z.ZodType;
    expect(schema.parse(result.value), name).toEqual(result.value);
    exercised.add(name);
    return result.value as CallOutput<N>;
  }

  /** A draft of `rows` recipients, ready to send through the Sandbox. */
  async function draft(rows: number, name: string): Promise<string> {
    const { id } = await exercise('campaigns.import', {
      fileName: `${name}.csv`,
      source: { text: recipientsCsv(rows) },
    });
    const view = await exercise('campaigns.update', {
      id,
      patch: {
        phoneColumn: 1,
        defaultCountry: 'US',
        template: 'Hi $(name), your order is ready.',
        senderId: 'ACME',
      },
    });
    expect(view.problem).toBeNull();
    return id;
  }

  async function sendConfirmed(id: string): Promise<void> {
    const { digest } = await exercise('campaigns.plan', { id });
    await exercise('campaigns.send', { id, digest });
  }

  it('answers every call as its schema declares', async () => {
    await exercise('app.info', {});
    await exercise('power.status', {});
    await exercise('optOut.setKeywords', { keywords: ['stop', 'unsubscribe'] });
    expect((await exercise('optOut.keywords', {})).keywords).toEqual(['STOP', 'UNSUBSCRIBE']);

    const origin = new URL(desk.receiver.url).origin;
    const saved = await exercise('services.save', {
      name: 'Acme SMS',
      baseUrl: 'https://api.example.com',
      key: 'a-key-of-the-tenant',
      tunnel: { kind: 'public-url', url: origin },
    });
    expect(saved).not.toHaveProperty('key');
    expect((await exercise('services.list', {})).map((s) => s.id)).toContain(saved.id);
    expect((await exercise('tunnels.list', {})).some((t) => t.serviceId === saved.id)).toBe(true);
    expect((await exercise('tunnels.reconnect', { serviceId: saved.id })).serviceId).toBe(saved.id);
    const cap = { messages: 2, days: 7 };
    expect((await exercise('services.setFrequencyCap', { id: saved.id, cap })).frequencyCap).toEqual(cap);
    expect(
      (await exercise('services.setFrequencyCap', { id: 'sandbox', cap: null })).frequencyCap,
    ).toBeNull();
    await exercise('services.remove', { id: saved.id });
    expect((await exercise('services.checkKey', { id: 'sandbox' })).kind).toBe('valid');

    await exercise('imports.cancel', { importId: 'never-started' });
    const sent = await draft(20, 'sent');
    expect((await exercise('campaigns.rows', { id: sent, offset: 0, limit: 5 })).rows).toHaveLength(5);
    await exercise('campaigns.nextProblem', { id: sent, after: -1 });
    expect(JSON.stringify((await exercise('campaigns.requestPreview', { id: sent, row: 0 })).body)).toContain(
      'Person 0',
    );
    await exercise('campaigns.exportSkipped', { id: sent });
    await exercise('campaigns.testSend', { id: sent, row: 0, msisdn: '+14155550100' });
    await sendConfirmed(sent);
    await desk.finished(sent);
    expect(await desk.settled(sent, 10_000)).toBe(true);
    expect((await exercise('campaigns.get', { id: sent })).state).toBe('completed');
    await exercise('campaigns.report', { id: sent });
    await exercise('campaigns.reportXlsx', { id: sent, timeZone: 'Europe/Paris' });
    await exercise('campaigns.row', { id: sent, row: 0 });
    await exercise('campaigns.dashboard', { id: sent });

    await desk.simulator.injectMo({ from: '+14155000001', text: 'Thanks!' });
    await waitFor(async () => (await exercise('inbox.list', { offset: 0, limit: 10 })).total === 1);
    expect((await exercise('inbox.export', {})).csv).toContain('Thanks!');

    const again = await exercise('campaigns.sendAgainFailed', { id: sent });
    await exercise('campaigns.rename', { id: again.id, name: 'Second try' });
    const copy = await exercise('campaigns.duplicate', { id: again.id });
    await exercise('campaigns.archive', { id: copy.id, archived: true });
    expect((await exercise('campaigns.list', { includeArchived: true })).map((c) => c.id)).toContain(copy.id);
    await exercise('campaigns.delete', { id: copy.id });

    const later = new Date(Date.now() + 3_600_000).toISOString();
    const { digest } = await exercise('campaigns.plan', { id: again.id, at: later });
    expect((await exercise('campaigns.schedule', { id: again.id, at: later, digest })).state).toBe(
      'scheduled',
    );
    expect((await exercise('campaigns.schedule', { id: again.id, at: null })).state).toBe('draft');

    const long = await draft(1000, 'long');
    await sendConfirmed(long);
    await exercise('campaigns.pause', { id: long });
    expect((await exercise('campaigns.cancel', { id: long })).state).toBe('cancelled');

    // Every request answered 503: the rows' outcome is unknown, sent again once the service answers.
    const unknown = await draft(20, 'unknown');
    desk.simulator.setFaults({ serverErrorShare: 1 });
    await sendConfirmed(unknown);
    await desk.finished(unknown);
    desk.simulator.setFaults({});
    expect((await exercise('campaigns.get', { id: unknown })).counts.unknown).toBe(20);
    await exercise('campaigns.resendUnknown', { id: unknown });
    await desk.finished(unknown);

    await exercise('suppression.add', { numbers: ['+14155000002', 'not a number'], defaultCountry: 'US' });
    await exercise('suppression.import', {
      fileName: 'optouts.csv',
      source: { text: 'phone\n+14155000003\n' },
      defaultCountry: 'US',
    });
    expect((await exercise('suppression.list', { offset: 0, limit: 10 })).total).toBe(2);
    expect(await exercise('suppression.remove', { numbers: ['+14155000003'] })).toEqual({ removed: 1 });
    expect((await exercise('receiver.stats', {})).replies).toBe(1);

    expect([...exercised].sort()).toEqual(Object.keys(calls).sort());
  });

  it("answers every one of the command line's own calls as its schema declares, and the shells' table has none", async () => {
    const used = new Set<CommandLineCallName>();
    // A service named on the command line: the Send SMS API of a simulator whose reports never come.
    const key = 'the-tenant-key';
    const platform = await startSimulator({ keys: [key], ...QUIET_SANDBOX, faults: { lostReports: true } });
    const elsewhere = await tempHome();
    const withKey = await elsewhere.start({
      unknownGraceMs: 0,
      statusLookupAfterMs: null,
      commandLineKey: key,
    });
    const service: CommandLineService = {
      baseUrl: platform.url,
      api: 'sms',
      rate: 50,
      numbersWithPlus: true,
    };
    try {
      const uploadId = await withKey.uploads.receive(Readable.from([Buffer.from(recipientsCsv(10))]));
      const call = <N extends CommandLineCallName>(name: N, input: AnyCallInput<N>) =>
        withKey.call(name, input).then((value) => {
          expect((commandLineCalls[name].output as z.ZodType).parse(value), name).toEqual(value);
          expect(JSON.stringify(value ?? null), name).not.toContain(key);
          used.add(name);
          return value;
        });
      const { id } = await call('cli.import', {
        fileName: 'shop.csv',
        uploadId,
        campaignId: 'by-cli',
        defaultCountry: 'US',
      });
      expect(id).toBe('by-cli');
      await withKey.call('campaigns.update', {
        id,
        patch: { phoneColumn: 1, template: 'Hi $(name)', senderId: 'ACME' },
      });
      // A service on this computer needs no tunnel for its reports.
      expect((await call('cli.receiverWarning', { service })).warning).toBeNull();
      const plan = await call('cli.plan', { id, service });
      expect(plan.api).toBe('sms');
      await call('cli.send', { id, service, digest: plan.digest, rate: 50, batchSize: 1 });
      await call('cli.finished', { id });
      expect((await call('cli.sentThrough', { id })).through).toMatchObject({ id: 'cli', api: 'sms' });
      expect((await call('cli.sameKeyRows', { id, service })).rows).toBe(0);
      expect((await call('cli.scheduledDigest', { id })).digest).toBeNull();
      expect((await call('cli.settled', { id, timeoutMs: 0 })).settled).toBe(false);
      expect((await call('cli.settleByLookup', { id, service })).settled).toBe(10);
      expect((await call('cli.settled', { id, timeoutMs: 0 })).settled).toBe(true);
      const path = join(elsewhere.dir, 'by-cli.xlsx');
      await call('cli.writeReportXlsx', { id, timeZone: 'UTC', path });
      expect((await stat(path)).size).toBeGreaterThan(0);

      // Every request answered 503 through the Sandbox: unknown rows, sent again once it answers.
      const unknown = (
        await withKey.call('campaigns.import', { fileName: 'u.csv', source: { text: recipientsCsv(5) } })
      ).id;
      await withKey.call('campaigns.update', {
        id: unknown,
        patch: { phoneColumn: 1, template: 'Hi $(name)', senderId: 'ACME' },
      });
      withKey.simulator.setFaults({ serverErrorShare: 1 });
      await call('cli.send', { id: unknown });
      await call('cli.finished', { id: unknown });
      withKey.simulator.setFaults({});
      expect((await withKey.call('campaigns.get', { id: unknown })).counts.unknown).toBe(5);
      await call('cli.resendUnknown', { id: unknown });
      await call('cli.finished', { id: unknown });
    } finally {
      await platform.close();
      await elsewhere.cleanup();
    }
    expect([...used].sort()).toEqual(Object.keys(commandLineCalls).sort());

    // The table the app's IPC and the browser shell dispatch knows none of them.
    for (const name of Object.keys(commandLineCalls)) {
      const answer = await dispatch(desk.handlers, name, { id: 'by-cli' });
      expect(answer).toEqual({
        ok: false,
        error: { code: 'unknown-call', message: `No such call: ${name}` },
      });
    }
  });

  it('fails with a body whose code is one of the contract', async () => {
    const answers = await Promise.all([
      dispatch(desk.handlers, 'campaigns.get', { id: 'no-such-campaign' }),
      dispatch(desk.handlers, 'campaigns.get', { id: 42 }),
      dispatch(desk.handlers, 'no.such.call', {}),
    ]);
    const codes = answers.map((a) => (a.ok ? null : ApiErrorBody.parse(a.error).code));
    expect(codes).toEqual(['unknown-campaign', 'invalid-input', 'unknown-call']);
  });
});
