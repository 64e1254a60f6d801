import type { CampaignView } from '../../../shared/api';

/**
 * The campaigns the renderer knows, by id, each as last pushed or answered by the core, and the list the
 * History tab shows. A view replaces only its own entry; the list is built again only when read after a
 * change. Plain TypeScript: React reads it through `subscribe` and `version` (useSyncExternalStore).
 */
export class CampaignsStore {
  private readonly byId = new Map<string, CampaignView>();
  /** The ids of the list, in its order; null until it was fetched. */
  private listed: readonly string[] | null = null;
  /** Whether the list fetched holds the archived campaigns too. */
  private listedArchived = false;
  private readonly listedIds = new Set<string>();
  private listSnapshot: readonly CampaignView[] | null = null;
  private readonly listeners = new Set<() => void>();
  private changes = 0;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  version = (): number => this.changes;

  get(id: string | null): CampaignView | null {
    return (id !== null && this.byId.get(id)) || null;
  }

  put = (view: CampaignView): void => {
    this.byId.set(view.id, view);
    if (this.listedIds.has(view.id)) this.listSnapshot = null;
    this.changed();
  };

  /**
   * The list as fetched from the core; its campaigns' views are taken too, but for the window preview, which the
   * list leaves out (see campaigns.list): a campaign's own view keeps it, and asks for it again when it changes.
   */
  setList(views: readonly CampaignView[], includeArchived: boolean): void {
    for (const view of views) {
      const held = this.byId.get(view.id);
      const windowPreview = view.state === held?.state ? held.windowPreview : view.windowPreview;
      this.byId.set(view.id, windowPreview === view.windowPreview ? view : { ...view, windowPreview });
    }
    this.listed = views.map((v) => v.id);
    this.listedArchived = includeArchived;
    this.listedIds.clear();
    for (const id of this.listed) this.listedIds.add(id);
    this.listSnapshot = null;
    this.changed();
  }

  /** The listed campaigns as they are now, the same array while none of them changed; null until fetched. */
  list(includeArchived: boolean): readonly CampaignView[] | null {
    if (this.listed === null || this.listedArchived !== includeArchived) return null;
    this.listSnapshot ??= this.listed.flatMap((id) => this.byId.get(id) ?? []);
    return this.listSnapshot;
  }

  remove(id: string): void {
    this.byId.delete(id);
    if (this.listed && this.listedIds.delete(id)) {
      this.listed = this.listed.filter((listed) => listed !== id);
      this.listSnapshot = null;
    }
    this.changed();
  }

  private changed(): void {
    this.changes++;
    for (const listener of this.listeners) listener();
  }
}
