import type { VectorSearchOptions } from '../../../shared/ports/vector-index';

/** The filter semantics every VectorIndex adapter shares. */
export function passesFilter(
  id: string,
  category: string | undefined,
  options: VectorSearchOptions,
): boolean {
  if (options.excludeIds?.has(id)) return false;
  if (options.categories && (!category || !options.categories.has(category))) return false;
  return true;
}
