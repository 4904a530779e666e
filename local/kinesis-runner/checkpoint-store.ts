import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface CheckpointFile {
  functionName: string;
  streamName: string;
  updatedAt: string;
  /** Last fully processed sequence number per shard. */
  shards: Record<string, string>;
}

/** Where a mapping's checkpoints live: one JSON file per function and stream. */
export function checkpointFile(dir: string, functionName: string, streamName: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(dir, `${safe(functionName)}--${safe(streamName)}.checkpoint.json`);
}

/**
 * Per-shard checkpoints, kept in memory and, with a file, persisted atomically (temp file + rename)
 * so a crash leaves either the old or the new checkpoints, never a torn file.
 */
export class CheckpointStore {
  private readonly shards = new Map<string, string>();
  // Saves run one after another and each writes the latest state, so an older snapshot never lands last.
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string | undefined,
    private readonly ids: { functionName: string; streamName: string },
  ) {}

  /** Loads the persisted checkpoints; a missing file means no checkpoints yet. */
  async load(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const parsed = JSON.parse(text) as Partial<CheckpointFile>;
    for (const [shard, seq] of Object.entries(parsed.shards ?? {})) this.shards.set(shard, seq);
  }

  get(shardId: string): string | undefined {
    return this.shards.get(shardId);
  }

  all(): Record<string, string> {
    return Object.fromEntries(this.shards);
  }

  /** Records that everything up to and including `sequenceNumber` is processed, and persists it. */
  async set(shardId: string, sequenceNumber: string): Promise<void> {
    this.shards.set(shardId, sequenceNumber);
    if (!this.file) return;
    const file = this.file;
    const next = this.saving.then(() => this.write(file));
    this.saving = next.catch(() => undefined);
    await next;
  }

  /** Waits for pending writes. */
  async flush(): Promise<void> {
    await this.saving;
  }

  private async write(file: string): Promise<void> {
    const body: CheckpointFile = { ...this.ids, updatedAt: new Date().toISOString(), shards: this.all() };
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`);
    await rename(tmp, file);
  }
}
