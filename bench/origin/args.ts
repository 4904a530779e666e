import { parseArgs } from 'node:util';

/** Origin bench settings, from `npm run bench:origin -- --items N --out FILE ...`. */
export interface OriginBenchArgs {
  /** Catalog size: items written to DynamoDB Local and indexed. */
  readonly items: number;
  /** Measured requests. */
  readonly requests: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Requests sent before the measured ones (not timed). */
  readonly warmup: number;
  /** Users with a state row (embedding, recent items, affinities). */
  readonly users: number;
  /** Queries for index recall@100 (usearch against an exact scan). */
  readonly recallQueries: number;
  /** Concurrent BatchWrite writers while loading the catalog. */
  readonly writers: number;
  readonly out?: string;
  /** Leave the vector index directory in place after the run. */
  readonly keepData: boolean;
  /** Where the vector index goes; a temporary directory when absent. */
  readonly dataDir?: string;
  /**
   * Build and measure the index only (recall against the exact scan, search ms p50/p95/p99): no
   * DynamoDB, no load phase.
   */
  readonly indexOnly: boolean;
  /**
   * Load the index `--data-dir` already holds (from a `--keep-data` run of the same `--items`)
   * instead of building it: a 1M-item graph takes 10 to 20 minutes on two cores.
   */
  readonly reuseIndex: boolean;
  /** HNSW graph degree of the built index (stored in the index file). */
  readonly connectivity: number;
  /** Candidate list size while building (stored in the index file). */
  readonly expansionAdd: number;
  /** Partitions (k-means clusters) of the built index, one HNSW graph each (stored with the index). */
  readonly partitions: number;
  /** Per-graph candidate list size while searching for the headline recall; the runtime chooses its own. */
  readonly expansionSearch: number;
  /** Partitions a search probes for the headline recall; the runtime chooses its own. */
  readonly nprobe: number;
  /** Further search sizes to report recall for (`index_recall_at_100_by_ef`, at `nprobe`). */
  readonly efSweep: readonly number[];
  /** Probe counts to report recall for at every search size (`index_recall_at_100_grid`). */
  readonly nprobeSweep: readonly number[];
  /** Where the funnel hydrates candidates (the runtime's ITEM_STORE): `memory` or `dynamodb`. */
  readonly itemStore: 'memory' | 'dynamodb';
}

/** Parses the command line; flags mirror the fields of OriginBenchArgs in kebab case. */
export function parseOriginBenchArgs(argv: string[]): OriginBenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      items: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '200' },
      users: { type: 'string', default: '2000' },
      'recall-queries': { type: 'string', default: '200' },
      writers: { type: 'string', default: '8' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      'index-only': { type: 'boolean', default: false },
      'reuse-index': { type: 'boolean', default: false },
      connectivity: { type: 'string', default: '32' },
      'expansion-add': { type: 'string', default: '256' },
      partitions: { type: 'string', default: '16' },
      'expansion-search': { type: 'string', default: '256' },
      nprobe: { type: 'string', default: '4' },
      'ef-sweep': { type: 'string', default: '64,128,256,512,1024' },
      'nprobe-sweep': { type: 'string', default: '2,3,4,6' },
      'item-store': { type: 'string', default: 'memory' },
    },
  });
  const int = (k: keyof typeof values, min: number) => {
    const n = Number(values[k]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${k} must be an integer >= ${min}`);
    return n;
  };
  return {
    items: int('items', 1),
    requests: int('requests', 1),
    concurrency: int('concurrency', 1),
    warmup: int('warmup', 0),
    users: int('users', 1),
    recallQueries: int('recall-queries', 1),
    writers: int('writers', 1),
    ...(values.out ? { out: values.out } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    keepData: Boolean(values['keep-data']),
    indexOnly: Boolean(values['index-only']),
    reuseIndex: Boolean(values['reuse-index']),
    connectivity: int('connectivity', 2),
    expansionAdd: int('expansion-add', 1),
    partitions: int('partitions', 1),
    expansionSearch: int('expansion-search', 1),
    nprobe: int('nprobe', 1),
    efSweep: positiveList(values['ef-sweep'] ?? '', 'ef-sweep'),
    nprobeSweep: positiveList(values['nprobe-sweep'] ?? '', 'nprobe-sweep'),
    itemStore: itemStoreOf(values['item-store']),
  };
}

function itemStoreOf(value: string | undefined): 'memory' | 'dynamodb' {
  if (value === 'memory' || value === 'dynamodb') return value;
  throw new Error('--item-store must be memory or dynamodb');
}

/** A comma-separated list of positive integers (empty allowed). */
function positiveList(text: string, flag: string): number[] {
  return text
    .split(',')
    .filter((x) => x.trim())
    .map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must list positive integers`);
      return n;
    });
}
