import type { VectorIndex } from '../../../shared/ports/vector-index';
import type { CampaignStore, StoredCampaign } from '../campaigns/store';
import { campaignVector } from '../campaigns/store';

/**
 * Campaign embeddings in a VectorIndex, rebuilt from the campaigns table when a write in this
 * container invalidated it or `maxAgeMs` passed (writes in other containers show up then, which
 * keeps changes visible within seconds without a stream).
 */
export class CampaignIndex {
  private built: { at: number; index: VectorIndex; campaigns: Map<string, StoredCampaign> } | undefined;
  private building: Promise<NonNullable<CampaignIndex['built']>> | undefined;

  constructor(
    private readonly store: CampaignStore,
    private readonly newIndex: (dimensions: number) => VectorIndex,
    private readonly now: () => number,
    private readonly maxAgeMs = 5_000,
  ) {}

  invalidate(): void {
    this.built = undefined;
  }

  /** The index and every campaign it was built from, keyed by id. */
  async current() {
    if (this.built && this.now() - this.built.at < this.maxAgeMs) return this.built;
    this.building ??= this.rebuild().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async rebuild() {
    const all = await this.store.all();
    const live = all.filter((c) => c.status !== 'archived' && c.status !== 'draft');
    const vectors = live.map((c) => ({ id: c.campaign_id, vector: campaignVector(c) }));
    const dims = vectors.find((v) => v.vector.length > 0)?.vector.length ?? 1;
    const index = this.newIndex(dims);
    await index.upsert(vectors.filter((v) => v.vector.length === dims));
    this.built = { at: this.now(), index, campaigns: new Map(all.map((c) => [c.campaign_id, c])) };
    return this.built;
  }
}
