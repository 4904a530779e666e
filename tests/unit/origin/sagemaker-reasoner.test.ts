import { describe, expect, it } from 'vitest';
import { parseRewrites, promptFor } from '../../../origin-lambdas/adapters/sagemaker-reasoner';
import type { ReasonerRequest } from '../../../shared/ports/reasoner';

const request: ReasonerRequest = {
  intent: 'interested in books',
  items: [
    {
      item_id: 'a',
      title: 'Atlas',
      category: 'books',
      reason: { code: 'popular', text: 'Popular in books' },
    },
    {
      item_id: 'b',
      title: 'Boots',
      category: 'shoes',
      reason: { code: 'explore', text: 'Exploring something new' },
    },
  ],
};

describe('SageMaker reasoner contract', () => {
  it('asks for a JSON map and names every item with its current reason', () => {
    const prompt = promptFor(request);
    expect(prompt).toContain('- a: "Atlas" (books); current reason: Popular in books');
    expect(prompt).toContain('Shopper intent: interested in books');
    expect(prompt).toMatch(/JSON object mapping item id to sentence/);
  });

  it('keeps only known ids with a sentence of sane length', () => {
    const body = JSON.stringify([
      { generated_text: 'Sure! {"a": "A favourite among book lovers.", "zzz": "unknown", "b": ""}' },
    ]);
    expect([...parseRewrites(body, request)]).toEqual([['a', 'A favourite among book lovers.']]);
  });

  it('ignores answers that are not the text-generation shape or hold no JSON', () => {
    expect(parseRewrites('{"oops":1}', request).size).toBe(0);
    expect(parseRewrites(JSON.stringify([{ generated_text: 'no json here' }]), request).size).toBe(0);
    expect(parseRewrites('not json', request).size).toBe(0);
  });
});
