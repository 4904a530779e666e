import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DependencyHealth } from '../../shared/ports/event-stream';
import type { CatalogItem, ItemCatalog, StoredList } from '../../shared/ports/item-catalog';
import { tableName } from '../../shared/tables';
import { decodeVector, encodeVector } from './vector-codec';

const chunk = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** ItemCatalog on DynamoDB: items and precomputed lists. */
export class DynamoItemCatalog implements ItemCatalog {
  private readonly items: string;
  private readonly lists: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
  ) {
    this.items = tableName(prefix, 'items');
    this.lists = tableName(prefix, 'lists');
  }

  async putItems(items: readonly CatalogItem[]): Promise<void> {
    for (const part of chunk(items, 25)) {
      let pending: Record<string, unknown>[] = part.map((i) => ({
        PutRequest: { Item: { ...i, embedding: encodeVector(i.embedding) } },
      }));
      // BatchWrite may leave items unprocessed under throttling; resend only those.
      for (let attempt = 0; pending.length && attempt < 8; attempt++) {
        const out = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.items]: pending as never } }),
        );
        pending = (out.UnprocessedItems?.[this.items] as Record<string, unknown>[] | undefined) ?? [];
        if (pending.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
      if (pending.length) throw new Error(`putItems: ${pending.length} items left unprocessed`);
    }
  }

  async getItems(ids: readonly string[]): Promise<CatalogItem[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, CatalogItem>();
    for (const part of chunk(unique, 100)) {
      let keys: Record<string, unknown>[] = part.map((item_id) => ({ item_id }));
      for (let attempt = 0; keys.length && attempt < 8; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.items]: { Keys: keys } } }),
        );
        for (const raw of out.Responses?.[this.items] ?? []) {
          found.set(raw.item_id as string, {
            ...(raw as CatalogItem),
            embedding: decodeVector(raw.embedding),
          });
        }
        keys = (out.UnprocessedKeys?.[this.items]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    // Keep the caller's order: lists are ranked.
    return unique.map((id) => found.get(id)).filter((i): i is CatalogItem => i !== undefined);
  }

  async putList(list: StoredList): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.lists, Item: { ...list, item_ids: [...list.item_ids] } }),
    );
  }

  async getList(listId: string): Promise<StoredList | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.lists, Key: { list_id: listId } }));
    return out.Item as StoredList | undefined;
  }

  async health(): Promise<DependencyHealth> {
    try {
      const out = await this.doc.send(new DescribeTableCommand({ TableName: this.items }));
      return { ok: out.Table?.TableStatus === 'ACTIVE', detail: out.Table?.TableStatus };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }
}
