import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../../local/model-server/invocation';

const declared = ['popularity', 'freshness', 'affinity', 'similarity'];
const post = (body: unknown, type = 'application/json') =>
  new Request('http://model/invocations', {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('parseInvocation', () => {
  it('accepts the declared names in order', async () => {
    const got = await parseInvocation(
      post({ feature_names: declared, rows: 1, features: [1, 2, 3, 4] }),
      declared,
    );
    expect(got).toEqual({ ok: true, rows: 1, features: Float32Array.from([1, 2, 3, 4]) });
  });

  it('selects the declared columns by name from a reordered superset', async () => {
    const got = await parseInvocation(
      post({
        feature_names: ['ctr', 'similarity', 'popularity', 'trending', 'affinity', 'freshness'],
        rows: 2,
        features: [9, 4, 1, 9, 3, 2, 8, 0.4, 0.1, 8, 0.3, 0.2],
      }),
      declared,
    );
    expect(got).toEqual({ ok: true, rows: 2, features: Float32Array.from([1, 2, 3, 4, 0.1, 0.2, 0.3, 0.4]) });
  });

  it('answers 400 naming the missing declared features', async () => {
    const got = await parseInvocation(
      post({ feature_names: ['popularity', 'ctr', 'affinity'], rows: 1, features: [1, 2, 3] }),
      declared,
    );
    expect(got).toEqual({
      ok: false,
      problem: {
        type: 'https://attune.dev/problems/invalid-request',
        title: 'Invalid request',
        status: 400,
        detail:
          'feature_names: missing declared feature(s) [freshness, similarity]; the model declares [popularity, freshness, affinity, similarity]',
        errors: [
          {
            field: 'feature_names',
            message:
              'missing declared feature(s) [freshness, similarity]; the model declares [popularity, freshness, affinity, similarity]',
          },
        ],
      },
    });
  });

  it('answers 400 for duplicated names', async () => {
    const got = await parseInvocation(
      post({ feature_names: [...declared, 'affinity'], rows: 1, features: [1, 2, 3, 4, 5] }),
      declared,
    );
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.problem.status).toBe(400);
    expect(got.problem.errors).toEqual([
      { field: 'feature_names', message: 'duplicated feature name(s) [affinity]' },
    ]);
  });

  it('answers 400 when the matrix is not rows x request names', async () => {
    const got = await parseInvocation(
      post({ feature_names: [...declared, 'ctr'], rows: 2, features: [1, 2, 3, 4, 5, 6, 7, 8] }),
      declared,
    );
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.problem.errors).toEqual([{ field: 'features', message: 'expected 2 x 5 = 10 values, got 8' }]);
  });

  it('answers 415 for another media type and 400 for a body that is not JSON', async () => {
    const csv = await parseInvocation(post('1,2,3,4', 'text/csv'), declared);
    expect(csv.ok ? 0 : csv.problem.status).toBe(415);
    const broken = await parseInvocation(post('{nope'), declared);
    expect(broken.ok ? undefined : broken.problem.detail).toBe('body is not valid JSON');
  });
});
