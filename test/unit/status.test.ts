import { describe, expect, it } from 'vitest';
import {
  canAdvance,
  FINAL_STATUSES,
  isFinal,
  ROW_STATUSES,
  statusFromDeliveryReport,
  type RowStatus,
} from '../../shared/status';

const FINAL: RowStatus[] = ['skipped', 'rejected', 'delivered', 'undelivered', 'failed', 'expired'];
const INTERIM: RowStatus[] = ['ready', 'waiting', 'sending', 'queued', 'unknown', 'submitted'];

describe('row status model', () => {
  it('names exactly the final states as final', () => {
    expect([...FINAL_STATUSES].sort()).toEqual([...FINAL].sort());
    expect([...ROW_STATUSES].sort()).toEqual([...FINAL, ...INTERIM].sort());
    for (const s of FINAL) expect(isFinal(s)).toBe(true);
    for (const s of INTERIM) expect(isFinal(s)).toBe(false);
  });

  it('never moves a row out of a final state, not even to another final state', () => {
    for (const current of FINAL) {
      for (const next of ROW_STATUSES) expect(canAdvance(current, next), `${current} -> ${next}`).toBe(false);
    }
  });

  it('never lets an interim status overwrite a final one', () => {
    for (const current of FINAL) {
      for (const next of INTERIM) expect(canAdvance(current, next)).toBe(false);
    }
  });

  it('follows the lifecycle forward', () => {
    const path: [RowStatus, RowStatus][] = [
      ['ready', 'sending'],
      ['sending', 'queued'],
      ['sending', 'rejected'],
      ['sending', 'unknown'],
      ['queued', 'submitted'],
      ['submitted', 'delivered'],
      ['submitted', 'undelivered'],
      ['submitted', 'failed'],
      ['submitted', 'expired'],
      // A final report may arrive before the Submitted one, or before the HTTP answer.
      ['queued', 'delivered'],
      ['sending', 'delivered'],
      ['sending', 'submitted'],
      // Evidence of acceptance settles an unknown send.
      ['unknown', 'queued'],
      ['unknown', 'submitted'],
      ['unknown', 'delivered'],
    ];
    for (const [current, next] of path) expect(canAdvance(current, next), `${current} -> ${next}`).toBe(true);
  });

  it('never moves an interim status backwards or sideways', () => {
    const back: [RowStatus, RowStatus][] = [
      ['sending', 'ready'],
      ['queued', 'sending'],
      ['queued', 'unknown'],
      ['queued', 'queued'],
      ['submitted', 'queued'],
      ['submitted', 'unknown'],
      ['submitted', 'submitted'],
      ['submitted', 'sending'],
      ['unknown', 'unknown'],
      ['unknown', 'sending'],
    ];
    for (const [current, next] of back)
      expect(canAdvance(current, next), `${current} -> ${next}`).toBe(false);
  });
});

describe('statusFromDeliveryReport', () => {
  it('maps the documented delivery statuses', () => {
    expect(statusFromDeliveryReport('Submitted', '7501')).toBe('submitted');
    expect(statusFromDeliveryReport('Delivered', '7500')).toBe('delivered');
    expect(statusFromDeliveryReport('Un-Delivered', '7203')).toBe('undelivered');
    expect(statusFromDeliveryReport('Failed', '7201')).toBe('failed');
  });

  it('ignores case and punctuation in the delivery status', () => {
    expect(statusFromDeliveryReport('DELIVERED', '7500')).toBe('delivered');
    expect(statusFromDeliveryReport('undelivered', '7206')).toBe('undelivered');
    expect(statusFromDeliveryReport('Un Delivered', '7207')).toBe('undelivered');
    expect(statusFromDeliveryReport('un_delivered', '7207')).toBe('undelivered');
    expect(statusFromDeliveryReport(' failed ', '7202')).toBe('failed');
    expect(statusFromDeliveryReport('Expired', '')).toBe('expired');
  });

  it('maps code 7208 to expired whatever the status says', () => {
    expect(statusFromDeliveryReport('Un-Delivered', '7208')).toBe('expired');
    expect(statusFromDeliveryReport('Failed', '7208')).toBe('expired');
  });

  it('gives no delivery state for clicks and unknown statuses', () => {
    expect(statusFromDeliveryReport('Clicked', '7528')).toBeNull();
    expect(statusFromDeliveryReport('', '')).toBeNull();
    expect(statusFromDeliveryReport('Pending', '9999')).toBeNull();
  });
});
