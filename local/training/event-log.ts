import { readFile } from 'node:fs/promises';
import { interactionWeight } from '../../shared/embedding/fold-in';
import { EVENT_TYPES, type EventType } from '../../shared/schemas/event';
import type { Interaction } from './interactions';

/**
 * Reads the platform's stored events (JSON lines, one event as ingested per line) as
 * interactions. Only events with a user, an item and a positive weight count. Their strength
 * is put on the star scale (3 + event weight) so the rating-based fold-in weight (stars − 3)
 * recovers exactly the streaming handler's event weight.
 */
export async function readEventLog(path: string): Promise<Interaction[]> {
  const out: Interaction[] = [];
  for (const line of (await readFile(path, 'utf8')).split(/\r?\n/)) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as {
      user_id?: string;
      item_id?: string;
      type?: string;
      ts?: string;
      rating?: number;
      dwell_ms?: number;
    };
    if (!e.user_id || !e.item_id || !e.ts || !(EVENT_TYPES as readonly string[]).includes(e.type ?? ''))
      continue;
    const w = interactionWeight(e.type as EventType, { rating: e.rating, dwellMs: e.dwell_ms });
    if (w <= 0) continue;
    out.push({ user: e.user_id, item: e.item_id, value: 3 + w, at: Date.parse(e.ts) });
  }
  return out;
}
