import type { RecommendedItem } from './schemas/recommendation';

/**
 * The last rung of every degradation ladder: evergreen items compiled into the code, so a
 * feed is never empty even when every store is unreachable. Ids match the seeded catalog.
 */
const FALLBACK: readonly { item_id: string; title: string; category: string }[] = [
  { item_id: 'item-00001', title: 'Editor’s pick: Everyday Essentials', category: 'home' },
  { item_id: 'item-00002', title: 'Best-selling Headphones', category: 'electronics' },
  { item_id: 'item-00003', title: 'Classic Running Shoes', category: 'shoes' },
  { item_id: 'item-00004', title: 'Weekend Reading List', category: 'books' },
  { item_id: 'item-00005', title: 'Top Podcast Picks', category: 'podcasts' },
  { item_id: 'item-00006', title: 'Kitchen Starter Set', category: 'kitchen' },
  { item_id: 'item-00007', title: 'Trail Jacket', category: 'outdoors' },
  { item_id: 'item-00008', title: 'Indie Film Night', category: 'movies' },
  { item_id: 'item-00009', title: 'Focus Playlist', category: 'music' },
  { item_id: 'item-00010', title: 'Yoga Basics', category: 'fitness' },
  { item_id: 'item-00011', title: 'Board Game Classics', category: 'games' },
  { item_id: 'item-00012', title: 'Skincare Routine', category: 'beauty' },
];

export function fallbackItems(limit: number): RecommendedItem[] {
  return FALLBACK.slice(0, Math.max(1, limit)).map((f, position) => ({
    ...f,
    score: 1 - position / FALLBACK.length,
    position,
    sponsored: false,
    reasons: [{ code: 'fallback' as const, text: 'Popular with everyone' }],
  }));
}
