import type { ZoneGroups } from '../core/recipients/row-zones';

/**
 * The zone groups of a preview's rows, as the window arithmetic reads a campaign's (see planWindow), with the
 * ready rows counted per group: the groups come from the batches' distinct zone sets (a few hundred at most), so
 * no row keeps a string. Each group's JSON and text renderings are made once.
 */
export class PreviewZones implements ZoneGroups {
  /** By group; group 0 is "no zone known". */
  private readonly zoneLists: (readonly string[])[] = [[]];
  private readonly byKey = new Map<string, number>();
  /** The group's zones as the JSON line's `timeZones` array. */
  readonly json: string[] = ['[]'];
  /** The group's zones as the text line's column: the first zone, "+N" when there are more. */
  readonly text: string[] = ['-'];
  /** Ready rows by group. */
  private readonly ready: number[] = [0];
  /** The groups with ready rows, in the order of their first ready row (the order the send plan counts them in). */
  private readonly readyOrder: number[] = [];

  get groups(): number {
    return this.zoneLists.length;
  }

  group(group: number): { readonly zones: readonly string[] } {
    return { zones: this.zoneLists[group] as readonly string[] };
  }

  /** The groups of a batch's zone sets (see ReadBatch.zoneKeys): index 1 + k is the k-th key's group. */
  groupsOf(zoneKeys: string): Uint16Array {
    const keys = zoneKeys === '' ? [] : zoneKeys.split('\n');
    const groups = new Uint16Array(keys.length + 1);
    keys.forEach((key, k) => (groups[k + 1] = this.groupOf(key)));
    return groups;
  }

  countReady(group: number): void {
    const rows = this.ready[group] as number;
    if (rows === 0) this.readyOrder.push(group);
    this.ready[group] = rows + 1;
  }

  /** Ready rows by group, for planWindow. */
  readyIn(): Map<number, number> {
    return new Map(this.readyOrder.map((group) => [group, this.ready[group] as number]));
  }

  private groupOf(key: string): number {
    let group = this.byKey.get(key);
    if (group !== undefined) return group;
    // libphonenumber's way of writing several zones, as ZoneSet keys keep it.
    const zones = key.split('&');
    group = this.zoneLists.push(zones) - 1;
    this.byKey.set(key, group);
    this.json.push(JSON.stringify(zones));
    this.text.push(`${zones[0] as string}${zones.length > 1 ? `+${zones.length - 1}` : ''}`);
    this.ready.push(0);
    return group;
  }
}
