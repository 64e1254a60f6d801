import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runsAsFormula } from '../../electron/core/export/spreadsheet-csv';
import { rowsOf, tempHome, type Home } from './sending-support';

/** Names a spreadsheet would run as formulas, one per row, with a valid number each. */
const HOSTILE = ['=HYPERLINK("http://x","y")', '+1+cmd|A0', '-2+3', '@SUM(A1)', '\tTabbed', 'Plain Ann'];
const CSV = [
  'name,phone,city',
  ...HOSTILE.map(
    (name, i) => `"${name.replaceAll('"', '""')}",+1415555${String(100 + i).padStart(4, '0')},Paris`,
  ),
  'Nobody,12,Oslo',
].join('\n');

describe('delivery report export', () => {
  let home: Home;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(() => home.cleanup());

  async function sentCampaign() {
    const desk = await home.start();
    const imported = await desk.importRecipients('hostile.csv', { text: CSV });
    await desk.update(imported.id, { phoneColumn: 1, template: 'Hi $(name)!', senderId: 'ACME' });
    await desk.send(imported.id);
    await desk.finished(imported.id);
    expect(await desk.settled(imported.id, 10_000)).toBe(true);
    return { desk, id: imported.id };
  }

  it('writes every original column plus the delivery columns, with a BOM, CRLF and no live formula', async () => {
    const { desk, id } = await sentCampaign();
    const { fileName, csv } = await desk.handlers['campaigns.report']({ id });
    expect(fileName).toBe('hostile-report.csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.startsWith('\uFEFF\uFEFF')).toBe(false);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'name,phone,city,cd_number,cd_message,cd_segments,cd_status,cd_status_text,cd_code,cd_description,cd_transid,cd_sent_at,cd_delivered_at,cd_settled_by',
    );
    expect(csv.slice(1).replaceAll('\r\n', '')).not.toContain('\n');

    const [, ...data] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(data).toHaveLength(HOSTILE.length + 1);
    // Every cell a spreadsheet would run starts with an apostrophe; phone numbers are left as they are.
    expect(data.map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://x","y")`,
      "'+1+cmd|A0",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTabbed",
      'Plain Ann',
      'Nobody',
    ]);
    for (const r of data) {
      for (const cell of r) expect(runsAsFormula(cell)).toBe(false);
    }

    const rows = await rowsOf(desk, id);
    const ann = rows[5];
    expect(data[5]).toEqual([
      'Plain Ann',
      '+14155550105',
      'Paris',
      '+14155550105',
      'Hi Plain Ann!',
      '1',
      'delivered',
      'Delivered',
      '7500',
      'Delivered',
      ann?.transid,
      ann?.sentAt,
      ann?.deliveredAt,
      'delivery report',
    ]);
    expect(Date.parse(ann?.deliveredAt ?? '')).toBeGreaterThanOrEqual(Date.parse(ann?.sentAt ?? ''));
    expect(data[6]).toEqual([
      'Nobody',
      '12',
      'Oslo',
      '',
      'Hi Nobody!',
      '1',
      'skipped: invalid-number',
      'Skipped: invalid number',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('writes the skipped rows the same way', async () => {
    const desk = await home.start();
    const imported = await desk.importRecipients('hostile.csv', {
      text: 'name,phone\n"=1+1",12\n+44 20,\n',
    });
    await desk.update(imported.id, { phoneColumn: 1, template: 'Hi', senderId: 'ACME' });
    const { csv } = await desk.handlers['campaigns.exportSkipped']({ id: imported.id });
    expect(csv).toBe(
      '\uFEFFname,phone,row,skip_reason,empty_placeholders\r\n' +
        "'=1+1,12,1,invalid-number,\r\n" +
        '+44 20,,2,missing-number,',
    );
  });
});
