import { describe, expect, it } from 'vitest';
import { parseRef, rowRef, testRef } from '../../electron/core/sending/correlation-id';

describe('message references', () => {
  const campaignId = '20260101-120000-a1b2c3';

  it('reads back the row and the test reference it wrote', () => {
    for (const row of [0, 7, 999_999_999]) {
      expect(parseRef(rowRef(campaignId, row))).toEqual({ kind: 'row', campaignId, row });
    }
    for (const test of [0, 3, 123_456]) {
      expect(parseRef(testRef(campaignId, test))).toEqual({ kind: 'test', campaignId, test });
    }
  });

  it('tells a test message from the row of the same number', () => {
    expect(rowRef(campaignId, 3)).not.toBe(testRef(campaignId, 3));
    expect(parseRef(`${campaignId}.t3`)?.kind).toBe('test');
    expect(parseRef(`${campaignId}.3`)?.kind).toBe('row');
  });

  it('refuses what only looks like one of ours', () => {
    for (const lookalike of [
      null,
      undefined,
      '',
      campaignId,
      `${campaignId}.`,
      `${campaignId}.t`,
      `${campaignId}.-1`,
      `${campaignId}.1.2`,
      `${campaignId}.T1`,
      `${campaignId}.x1`,
      `${campaignId}.1 `,
      ` ${campaignId}.1`,
      `${campaignId}.1234567890`,
      `${campaignId}.1e3`,
      `Campaign.1`,
      `${'a'.repeat(65)}.1`,
      '.1',
      `${campaignId}.1\n`,
    ]) {
      expect(parseRef(lookalike), String(lookalike)).toBeNull();
    }
  });
});
