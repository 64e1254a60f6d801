import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/api';
import { CampaignsStore } from '../../renderer/src/stores/campaigns-store';

/** Only what the store reads of a view: its id; the rest tells the versions apart. */
const view = (id: string, name: string, state: CampaignView['state'] = 'draft') =>
  ({ id, name, state }) as CampaignView;

describe('CampaignsStore', () => {
  it('shows each campaign of the list as last pushed, and keeps the list as it was while other campaigns change', () => {
    const store = new CampaignsStore();
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.list(false)).toBeNull();

    store.setList([view('a', 'Spring sale'), view('b', 'Opening hours')], false);
    const before = store.list(false);
    expect(before?.map((c) => c.name)).toEqual(['Spring sale', 'Opening hours']);
    // The list with the archived ones was not fetched.
    expect(store.list(true)).toBeNull();

    store.put(view('c', 'Not listed', 'sending'));
    expect(store.list(false)).toBe(before);
    expect(store.get('c')?.state).toBe('sending');

    store.put(view('b', 'Opening hours', 'sending'));
    const after = store.list(false);
    expect(after).not.toBe(before);
    expect(after?.map((c) => [c.id, c.state])).toEqual([
      ['a', 'draft'],
      ['b', 'sending'],
    ]);
    expect(after?.[0]).toBe(before?.[0]);
    expect(notified).toBe(3);

    store.remove('a');
    expect(store.list(false)?.map((c) => c.id)).toEqual(['b']);
    expect(store.get('a')).toBeNull();
    expect(store.get(null)).toBeNull();
  });
});
