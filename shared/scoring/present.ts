import type { RecommendedItem } from '../schemas/recommendation';
import { explain } from './explain';
import type { RerankedItem } from './rerank';

/**
 * The wire form of a re-ranked page, the same at the edge and the origin: an item in an
 * exploration slot is explained as exploration whatever source found it, and a sponsored item
 * carries its campaign so the client's events credit the campaign's arm.
 */
export function presentPage(page: readonly RerankedItem[]): RecommendedItem[] {
  return page.map((p) => {
    const c = p.rescored.candidate;
    const sponsored = p.slot === 'sponsored';
    return {
      item_id: c.item_id,
      ...(c.title ? { title: c.title } : {}),
      category: c.category,
      score: Math.round(p.rescored.score * 1e6) / 1e6,
      position: p.position,
      sponsored,
      ...(sponsored && c.campaign_id ? { campaign_id: c.campaign_id } : {}),
      reasons: [
        explain(
          p.slot === 'explore' ? { ...p.rescored, candidate: { ...c, source: 'explore' } } : p.rescored,
        ),
      ],
    };
  });
}
