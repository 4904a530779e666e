import { randomUUID } from 'node:crypto';
import { seededRandom } from '../../shared/random';
import type { AttuneEvent } from '../../shared/schemas/event';

/** Bench workload shape: who acts, on what, and how decisions and rewards pair up. */
export interface WorkloadOptions {
  readonly users: number;
  readonly itemIds: readonly string[];
  readonly seed?: number;
}

const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
const DAYPARTS = ['morning', 'afternoon', 'evening', 'night'] as const;
const CAMPAIGNS = ['spring-sale', 'new-arrivals', 'loyalty', 'free-shipping', 'bundle', 'flash'];
const REVIEWS = [
  'Love it, works great',
  'Terrible quality, broke quickly',
  'It is fine',
  'Amazing and beautiful',
];
// Cumulative mix of plain item events; bandit decisions are generated apart.
const MIX: readonly [number, AttuneEvent['type']][] = [
  [0.3, 'impression'],
  [0.55, 'view'],
  [0.68, 'click'],
  [0.76, 'dwell'],
  [0.8, 'add_to_cart'],
  [0.82, 'purchase'],
  [0.87, 'skip'],
  [0.88, 'hide'],
  [0.9, 'rating'],
  [0.91, 'share'],
  [1, 'view'],
];

/**
 * Makes synthetic events. One in eight is a bandit decision's impression (a campaign, or an item
 * in an exploration slot) carrying a `decision_id`; a fifth of those get a click on the same
 * decision a few events later, from the same user, like a real reward.
 */
export function createWorkload(opts: WorkloadOptions) {
  // Seeded, so two runs offer the same workload.
  const rand = seededRandom(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const explore = opts.itemIds.slice(0, 4);
  const pending: AttuneEvent[] = [];
  const userIndex = (i: number) => `bench-user-${String(i).padStart(4, '0')}`;
  const contextOf = (u: number) => ({ device: DEVICES[u % 3], daypart: DAYPARTS[(u >> 2) % 4] }) as const;

  function next(ts: string): AttuneEvent {
    const reward = pending.length > 0 && rand() < 0.5 ? pending.shift() : undefined;
    if (reward) return { ...reward, event_id: randomUUID(), ts };
    const u = Math.floor(rand() * opts.users);
    const base = {
      event_id: randomUUID(),
      user_id: userIndex(u),
      // Mostly one active session per user, sometimes a new one.
      session_id: `s-${u}-${rand() < 0.9 ? 0 : 1}`,
      context: contextOf(u),
      ts,
    };
    if (rand() < 0.125) {
      const decision_id = randomUUID();
      const campaign = rand() < 0.5;
      const arm = campaign ? { campaign_id: pick(CAMPAIGNS) } : { item_id: pick(explore) };
      const shown: AttuneEvent = {
        ...base,
        ...arm,
        decision_id,
        type: campaign ? 'campaign_view' : 'impression',
        surface: 'explore',
      };
      if (rand() < 0.2) pending.push({ ...shown, type: campaign ? 'campaign_click' : 'click' });
      return shown;
    }
    const r = rand();
    const type = (MIX.find(([p]) => r < p) as [number, AttuneEvent['type']])[1];
    const e: AttuneEvent = { ...base, type, item_id: pick(opts.itemIds), surface: 'home' };
    if (type === 'dwell') return { ...e, dwell_ms: Math.floor(rand() * 90_000) };
    if (type === 'rating') return { ...e, rating: 1 + Math.floor(rand() * 5), text: pick(REVIEWS) };
    return e;
  }

  return { next };
}
