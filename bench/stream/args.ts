import { parseArgs } from 'node:util';
import { DEFAULT_WRITE_MODE, WRITE_MODES, type WriteMode } from '../../stream-handlers/common/write-mode';

/** Bench settings, from `npm run bench:stream -- --events N --out FILE ...`. */
export interface BenchArgs {
  readonly events: number;
  readonly out?: string;
  /** Offered load in events/s; 0 sends as fast as ingest takes them. */
  readonly rate: number;
  readonly pollMs: number;
  /** The mappings' busyPollIntervalMs: the next poll's start after one that brought records. */
  readonly busyPollMs: number;
  readonly batchSize: number;
  readonly shards: number;
  readonly users: number;
  readonly items: number;
  /** Fraction of requests the client sends twice (same event ids: a client retry). */
  readonly duplicateRate: number;
  /** Throw once in the middle of a batch, after some writes, in every handler. */
  readonly crash: boolean;
  /** Events sent and drained before the measured run (verified, not timed). */
  readonly warmup: number;
  /** After the run, drain a fresh mapping per handler from TRIM_HORIZON. */
  readonly replay: boolean;
  /** The handlers' STATE_WRITE_MODE: transactions of up to 100 writes, or a request per key. */
  readonly writeMode: WriteMode;
  /** Keep user rows between batches, as the Lambda does (`--no-user-cache` reads every batch). */
  readonly userCache: boolean;
}

/** Parses the command line; flags mirror the fields of BenchArgs in kebab case. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '20000' },
      out: { type: 'string' },
      rate: { type: 'string', default: '2000' },
      'poll-ms': { type: 'string', default: '1000' },
      'busy-poll-ms': { type: 'string', default: '600' },
      'batch-size': { type: 'string', default: '10000' },
      shards: { type: 'string', default: '1' },
      users: { type: 'string', default: '200' },
      items: { type: 'string', default: '240' },
      'duplicate-rate': { type: 'string', default: '0.02' },
      warmup: { type: 'string', default: '2000' },
      'no-crash': { type: 'boolean', default: false },
      'no-replay': { type: 'boolean', default: false },
      'write-mode': { type: 'string', default: DEFAULT_WRITE_MODE },
      'no-user-cache': { type: 'boolean', default: false },
    },
  });
  const writeMode = values['write-mode'] as WriteMode;
  if (!WRITE_MODES.includes(writeMode))
    throw new Error(`--write-mode must be one of ${WRITE_MODES.join(', ')}`);
  const num = (k: keyof typeof values) => {
    const n = Number(values[k]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${k} must be a non-negative number`);
    return n;
  };
  return {
    events: num('events'),
    ...(values.out ? { out: values.out } : {}),
    rate: num('rate'),
    pollMs: num('poll-ms'),
    busyPollMs: num('busy-poll-ms'),
    batchSize: num('batch-size'),
    shards: num('shards'),
    users: num('users'),
    items: num('items'),
    duplicateRate: num('duplicate-rate'),
    warmup: num('warmup'),
    crash: !values['no-crash'],
    replay: !values['no-replay'],
    writeMode,
    userCache: !values['no-user-cache'],
  };
}
