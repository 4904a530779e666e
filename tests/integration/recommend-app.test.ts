import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { recommendAppFor } from '../../origin-lambdas/recommend/wire';
import { candidateVector } from '../../shared/schemas/candidate';
import { getRecs, type OriginStack, startOriginStack } from '../helpers/origin-stack';

// The contract the edge relies on: the compact candidate list and the problem answers.
describe('recommend app: the edge candidate list and bad requests', () => {
  let stack: OriginStack;
  let app: ReturnType<typeof recommendAppFor>;

  beforeAll(async () => {
    stack = await startOriginStack('recapp', 360);
    app = stack.app();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('returns the scored candidates for the edge only when asked (candidates=1)', async () => {
    const plain = (await getRecs(app, 'user_id=newcomer&limit=5')).body;
    expect(plain.candidates).toBeUndefined();

    const { body } = await getRecs(app, 'user_id=newcomer&limit=5&candidates=1');

    const candidates = body.candidates ?? [];
    expect(candidates).toHaveLength(200);
    expect(new Set(candidates.map((c) => c.item_id)).size).toBe(200);
    const first = candidates[0]!;
    const item = stack.items.find((i) => i.item_id === first.item_id)!;
    expect(first).toMatchObject({ category: item.category, title: item.title });
    // The vector travels quantized (48 base64 characters for 32 dimensions) and decodes close.
    expect(first.vector).toBeUndefined();
    expect(first.vq).toHaveLength(48);
    const decoded = candidateVector(first) ?? [];
    const scale = Math.max(...item.embedding.map(Math.abs));
    expect(decoded).toHaveLength(32);
    decoded.forEach((x, i) => {
      expect(Math.abs(x - (item.embedding[i] as number))).toBeLessThanOrEqual(scale / 254 + 1e-6);
    });
    for (const c of candidates) {
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
      expect(c.popularity).toBeLessThanOrEqual(1);
    }
    // Every organic item on the page is among the candidates the edge will re-score.
    const ids = new Set(candidates.map((c) => c.item_id));
    const organic = body.items.filter((i) => i.reasons[0]?.code !== 'explore' && !i.sponsored);
    for (const i of organic) expect(ids.has(i.item_id)).toBe(true);
  });

  it('answers 400 problem+json naming the field', async () => {
    const res = await app.request('/v1/recommendations?user_id=u&limit=1000');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['limit']);
    const none = await app.request('/v1/recommendations?surface=home');
    expect(((await none.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('user_id');
    const price = await app.request('/v1/recommendations?user_id=u&price_min=50&price_max=10');
    expect(((await price.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('price_max');
    const modality = await app.request('/v1/recommendations?user_id=u&modalities=smell');
    expect(((await modality.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('modalities');
  });
});
