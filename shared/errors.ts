/**
 * A request that failed schema validation; carries zod-shaped issues so the problem+json answer
 * can name each field. Shared so the edge and the origin map it the same way.
 */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(readonly issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    super('invalid request');
  }
}
