import { type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';

export interface ShardInfo {
  shardId: string;
  parents: string[];
}

/** Every shard of the stream, open and closed, following ListShards pagination. */
export async function listAllShards(client: KinesisClient, streamName: string): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let token: string | undefined;
  do {
    // The API rejects StreamName together with NextToken.
    const page = await client.send(
      new ListShardsCommand(token ? { NextToken: token } : { StreamName: streamName }),
    );
    for (const s of page.Shards ?? []) {
      if (!s.ShardId) continue;
      const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p);
      shards.push({ shardId: s.ShardId, parents });
    }
    token = page.NextToken;
  } while (token);
  return shards;
}

/**
 * Shards that may be polled now: a child waits until its parents still on the stream are drained,
 * so records of one key stay in order across a split or merge, as Lambda guarantees.
 */
export function pollableShards(shards: readonly ShardInfo[], finished: ReadonlySet<string>): ShardInfo[] {
  const known = new Set(shards.map((s) => s.shardId));
  return shards.filter(
    (s) => !finished.has(s.shardId) && s.parents.every((p) => !known.has(p) || finished.has(p)),
  );
}
