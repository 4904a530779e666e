import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisHandler } from '../../local/kinesis-runner';
import { DynamoChangeFeed } from '../../origin-lambdas/adapters/dynamodb-change-feed';
import { DynamoCounterStore, type LedgerKey } from '../../origin-lambdas/adapters/dynamodb-counter-store';
import { DynamoItemCatalog } from '../../origin-lambdas/adapters/dynamodb-item-catalog';
import { DynamoUserStateStore } from '../../origin-lambdas/adapters/dynamodb-user-state-store';
import { tableName } from '../../shared/tables';
import { createPosteriorsHandler, posteriorLedgerKey } from '../../stream-handlers/bandit-posteriors/handler';
import { createItemLookup } from '../../stream-handlers/common/item-lookup';
import { createTrendingHandler, trendingLedgerKey } from '../../stream-handlers/trending/handler';
import { createUserStateHandler } from '../../stream-handlers/user-state/handler';
import { CrashSwitch } from './instrument';
import { MemoryCounterStore, MemoryUserStateStore, memoryChangeFeed } from './memory-stores';

export const HANDLER_NAMES = ['user-state', 'bandit-posteriors', 'trending'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** The three stream handlers on DynamoDB, each with a crash switch guarding its writes. */
export function dynamoHandlers(doc: DynamoDBDocumentClient, prefix: string) {
  const switches = Object.fromEntries(HANDLER_NAMES.map((n) => [n, new CrashSwitch()])) as Record<
    HandlerName,
    CrashSwitch
  >;
  const items = () => createItemLookup(new DynamoItemCatalog(doc, prefix));
  const changes = new DynamoChangeFeed(doc, prefix);
  const counters = (key: 'posteriors' | 'trending', ledger: LedgerKey) =>
    new DynamoCounterStore(doc, tableName(prefix, key), ledger);
  const us = switches['user-state'];
  const handlers: Record<HandlerName, KinesisHandler> = {
    'user-state': us.wrap(
      createUserStateHandler({
        users: us.guard(new DynamoUserStateStore(doc, prefix), ['putIfVersion']),
        items: items(),
        changes,
      }),
    ),
    'bandit-posteriors': switches['bandit-posteriors'].wrap(
      createPosteriorsHandler({
        counters: switches['bandit-posteriors'].guard(counters('posteriors', posteriorLedgerKey), [
          'addOnce',
        ]),
        changes,
      }),
    ),
    trending: switches.trending.wrap(
      createTrendingHandler({
        counters: switches.trending.guard(counters('trending', trendingLedgerKey), ['addOnce']),
        items: items(),
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
