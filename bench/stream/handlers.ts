import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisHandler } from '../../local/kinesis-runner';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoCounterStore, type LedgerKey } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { tableName } from '../../shared/tables';
import { createPosteriorsHandler, posteriorLedgerKey } from '../../stream-handlers/bandit-posteriors/handler';
import { createItemLookup } from '../../stream-handlers/common/item-lookup';
import type { WriteMode } from '../../stream-handlers/common/write-mode';
import { createTrendingHandler, trendingLedgerKey } from '../../stream-handlers/trending/handler';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import { UserStateCache } from '../../stream-handlers/user-state/state-cache';
import { CrashSwitch } from './instrument';
import { MemoryCounterStore, MemoryUserStateStore, memoryChangeFeed } from './memory-stores';
import { PhaseClock } from './phases';

export const HANDLER_NAMES = ['user-state', 'bandit-posteriors', 'trending'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/**
 * The three stream handlers on DynamoDB, each with a crash switch guarding its writes and, when a
 * clock is given, every store call timed as a phase of its handler.
 */
export function dynamoHandlers(
  doc: DynamoDBDocumentClient,
  prefix: string,
  opts: { clock?: PhaseClock; writeMode?: WriteMode; userCache?: boolean } = {},
) {
  const clock = opts.clock ?? new PhaseClock();
  const writeMode = opts.writeMode ? { writeMode: opts.writeMode } : {};
  const switches = Object.fromEntries(HANDLER_NAMES.map((n) => [n, new CrashSwitch()])) as Record<
    HandlerName,
    CrashSwitch
  >;
  const items = (h: HandlerName) =>
    createItemLookup(clock.wrap(h, new DynamoItemCatalog(doc, prefix), ['getItems']));
  const changes = (h: HandlerName) => clock.wrap(h, new DynamoChangeFeed(doc, prefix), ['publish']);
  const counters = (h: HandlerName, key: 'posteriors' | 'trending', ledger: LedgerKey) =>
    switches[h].guard(
      clock.wrap(h, new DynamoCounterStore(doc, tableName(prefix, key), ledger), [
        'getLedger',
        'putLedger',
        'addOnce',
        'addManyOnce',
      ]),
      ['addOnce'],
      ['addManyOnce'],
    );
  const users = clock.wrap('user-state', new DynamoUserStateStore(doc, prefix), [
    'getUsers',
    'getUser',
    'putIfVersion',
    'putManyIfVersion',
  ]);
  const invoke = (h: HandlerName, handler: KinesisHandler): KinesisHandler =>
    switches[h].wrap((event, context) => clock.time(h, 'invoke', () => handler(event, context)));
  const handlers: Record<HandlerName, KinesisHandler> = {
    'user-state': invoke(
      'user-state',
      createUserStateHandler({
        users: switches['user-state'].guard(users, ['putIfVersion'], ['putManyIfVersion']),
        items: items('user-state'),
        changes: changes('user-state'),
        ...(opts.userCache === false ? {} : { cache: new UserStateCache() }),
        ...writeMode,
      }),
    ),
    'bandit-posteriors': invoke(
      'bandit-posteriors',
      createPosteriorsHandler({
        counters: counters('bandit-posteriors', 'posteriors', posteriorLedgerKey),
        changes: changes('bandit-posteriors'),
        ...writeMode,
      }),
    ),
    trending: invoke(
      'trending',
      createTrendingHandler({
        counters: counters('trending', 'trending', trendingLedgerKey),
        items: items('trending'),
        ...writeMode,
      }),
    ),
  };
  return { handlers, switches };
}

/** The same handlers over null adapters, to time their compute without DynamoDB. */
export function memoryHandlers(
  catalog: ReadonlyMap<string, { category: string; embedding: readonly number[] }>,
) {
  const items = async (ids: Iterable<string>) =>
    new Map([...ids].flatMap((id) => (catalog.has(id) ? [[id, catalog.get(id)!] as const] : [])));
  return {
    'user-state': createUserStateHandler({
      users: new MemoryUserStateStore(),
      items,
      changes: memoryChangeFeed,
    }),
    'bandit-posteriors': createPosteriorsHandler({
      counters: new MemoryCounterStore(),
      changes: memoryChangeFeed,
    }),
    trending: createTrendingHandler({ counters: new MemoryCounterStore(), items }),
  } satisfies Record<HandlerName, KinesisHandler>;
}
