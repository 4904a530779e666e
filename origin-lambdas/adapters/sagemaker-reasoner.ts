import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { z } from 'zod';
import type { Reasoner, ReasonerRequest, ReasonerResult } from '../../shared/ports/reasoner';

/**
 * Reasoner on a SageMaker LLM endpoint serving the Hugging Face text-generation contract
 * (`{inputs, parameters}` in, `[{generated_text}]` out). The model is asked for one JSON object
 * mapping item ids to a one-sentence explanation; anything else is ignored. The budget is a hard
 * abort of the HTTP call, so a slow model costs at most `budgetMs`.
 */
export class SageMakerReasoner implements Reasoner {
  readonly enabled = true;

  constructor(
    private readonly client: SageMakerRuntimeClient,
    private readonly endpointName: string,
  ) {}

  async rewrite(request: ReasonerRequest, { budgetMs }: { budgetMs: number }): Promise<ReasonerResult> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), budgetMs);
    try {
      const out = await this.client.send(
        new InvokeEndpointCommand({
          EndpointName: this.endpointName,
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: new TextEncoder().encode(
            JSON.stringify({
              inputs: promptFor(request),
              parameters: { max_new_tokens: 256, temperature: 0.2, return_full_text: false },
            }),
          ),
        }),
        { abortSignal: abort.signal },
      );
      return parseRewrites(new TextDecoder().decode(out.Body), request);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The instruction sent to the model: short, factual, one sentence per item, JSON only. */
export function promptFor(request: ReasonerRequest): string {
  const lines = request.items.map(
    (i) =>
      `- ${i.item_id}: "${i.title ?? i.item_id}" (${i.category ?? 'item'}); current reason: ${i.reason.text}`,
  );
  return [
    'Rewrite each recommendation reason as one short, factual sentence for the shopper.',
    'Do not invent facts beyond the current reason and the shopper intent.',
    `Shopper intent: ${request.intent}`,
    'Items:',
    ...lines,
    'Answer with one JSON object mapping item id to sentence, and nothing else.',
  ].join('\n');
}

const generated = z.array(z.object({ generated_text: z.string() })).min(1);

/** Reads the model's answer; only known ids with a sentence of sane length are kept. */
export function parseRewrites(body: string, request: ReasonerRequest): ReasonerResult {
  const out = new Map<string, string>();
  let text: string;
  try {
    const parsed = generated.safeParse(JSON.parse(body));
    if (!parsed.success) return out;
    text = parsed.data[0]?.generated_text ?? '';
  } catch {
    return out;
  }
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return out;
  let map: unknown;
  try {
    map = JSON.parse(text.slice(start, end + 1));
  } catch {
    return out;
  }
  const known = new Set(request.items.map((i) => i.item_id));
  for (const [id, sentence] of Object.entries(map as Record<string, unknown>)) {
    if (
      known.has(id) &&
      typeof sentence === 'string' &&
      sentence.trim().length >= 3 &&
      sentence.length <= 200
    )
      out.set(id, sentence.trim());
  }
  return out;
}
