import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tasteEmbedding } from '../../shared/embedding/fold-in';
import type { ContentEncoder, ContentInput } from '../../shared/ports/content-encoder';
import type { CatalogItem } from '../../shared/ports/item-catalog';
import { type ModelManifest, writeModelBundle } from '../model-server/bundle';
import { projectContent } from './content-projection';
import { writeEmbeddings } from './embedding-files';
import { foldHistory } from './histories';
import type { Interaction } from './interactions';
import type { ItemMeta } from './movielens';
import { type AttuneModel, type AttuneTrainingOptions, trainAttune } from './train-model';

export interface BuildBundleOptions {
  readonly interactions: readonly Interaction[];
  readonly meta?: ReadonlyMap<string, ItemMeta>;
  readonly encoder: ContentEncoder;
  readonly modelDir: string;
  /** @default `attune-<UTC timestamp>` */
  readonly version?: string;
  readonly training?: AttuneTrainingOptions;
  readonly now?: Date;
}

export interface BuiltBundle {
  readonly manifest: ModelManifest;
  readonly model: AttuneModel;
  /** Catalog rows with their serving embedding (CF, or projected content for cold items). */
  readonly items: CatalogItem[];
  readonly coldItems: number;
}

/**
 * Trains from an interaction log and writes a complete, not yet current, bundle:
 * `<version>/{model.onnx, manifest.json, items.*, content.*, users.*}`.
 */
export async function buildBundle(opts: BuildBundleOptions): Promise<BuiltBundle> {
  const now = opts.now ?? new Date();
  const version = opts.version ?? `attune-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const catalog = [...(opts.meta?.keys() ?? [])];
  const model = trainAttune(opts.interactions, { ...opts.training, catalog, meta: opts.meta });
  const k = model.dimensions;
  const inputs: ContentInput[] = model.items.map((it) => {
    const m = opts.meta?.get(it.item_id);
    return {
      modality: it.modality,
      text: [it.title, ...(m?.tags ?? [])].join(' '),
      metadata: { genres: (m?.genres ?? []).join(' ') },
    };
  });
  const learned = (r: number) => (model.set.itemUsers[r] as number) > 0;
  const { content, projected } = await projectContent({
    encoder: opts.encoder,
    inputs,
    cf: model.vectors,
    cfDims: k,
    learned,
  });
  const serving = Float64Array.from(model.vectors);
  let coldItems = 0;
  for (let r = 0; r < model.items.length; r++) {
    if (learned(r)) continue;
    coldItems++;
    serving.set(projected.subarray(r * k, r * k + k), r * k);
  }
  const items = model.items.map((it, r) => ({
    ...it,
    embedding: Array.from(serving.subarray(r * k, r * k + k)),
  }));
  const userIds = [...model.histories.keys()];
  const users = new Float64Array(userIds.length * k);
  userIds.forEach((u, r) => {
    users.set(tasteEmbedding(foldHistory(model.histories.get(u) ?? [], model.vectors, k)), r * k);
  });

  const dir = join(opts.modelDir, version);
  await mkdir(dir, { recursive: true });
  const ids = model.set.items.ids;
  const contentFlat = new Float32Array(content.length * opts.encoder.dimensions);
  content.forEach((v, r) => {
    contentFlat.set(v, r * opts.encoder.dimensions);
  });
  const files = [
    ...(await writeEmbeddings(join(dir, 'items'), ids, serving, k)),
    ...(await writeEmbeddings(join(dir, 'content'), ids, contentFlat, opts.encoder.dimensions)),
    ...(await writeEmbeddings(join(dir, 'users'), userIds, users, k)),
  ].map((f) => f.slice(dir.length + 1));
  const times = opts.interactions.map((x) => x.at);
  const manifest = await writeModelBundle(opts.modelDir, version, model.ranker, now, {
    embedding: {
      dimensions: k,
      space_version: `attune-cf-${version}-d${k}`,
      content_space_version: opts.encoder.spaceVersion,
    },
    training_window: {
      from: new Date(Math.min(...times)).toISOString(),
      to: new Date(Math.max(...times)).toISOString(),
      interactions: opts.interactions.length,
    },
    metrics: {
      ranker_log_loss: model.rankerLogLoss,
      ranker_examples: model.rankerExamples,
      users: userIds.length,
      items: ids.length,
      cold_items: coldItems,
    },
    files,
  });
  return { manifest, model, items, coldItems };
}
