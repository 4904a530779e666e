import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelManifest, readCurrentVersion, readModelBundle, setCurrentVersion } from './bundle';

/** Every complete bundle in `modelDir`, oldest first (by `created_at`, then version name). */
export async function listVersions(modelDir: string): Promise<ModelManifest[]> {
  const out: ModelManifest[] = [];
  for (const entry of await readdir(modelDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    try {
      out.push((await readModelBundle(modelDir, entry.name)).manifest);
    } catch {
      // Half-written or foreign folders are not versions.
    }
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.version.localeCompare(b.version));
}

/**
 * Keeps the newest `keep` versions and deletes older ones; the current version and the
 * default model are never deleted. Returns the deleted versions.
 */
export async function pruneVersions(
  modelDir: string,
  keep: number,
  protect: readonly string[] = [],
): Promise<string[]> {
  const current = await readCurrentVersion(modelDir);
  const versions = await listVersions(modelDir);
  const doomed = versions
    .slice(0, Math.max(0, versions.length - keep))
    .map((m) => m.version)
    .filter((v) => v !== current && !protect.includes(v));
  for (const v of doomed) await rm(join(modelDir, v), { recursive: true, force: true });
  return doomed;
}

/**
 * Points `current.json` at the version published before the current one and returns it; the
 * serving side picks it up like any other publish. Throws when there is nothing older.
 */
export async function rollback(modelDir: string): Promise<string> {
  const current = await readCurrentVersion(modelDir);
  const versions = (await listVersions(modelDir)).map((m) => m.version);
  const at = current ? versions.indexOf(current) : -1;
  const previous = at > 0 ? versions[at - 1] : undefined;
  if (!previous) throw new Error(`no version older than ${current ?? '(none)'} in ${modelDir}`);
  await setCurrentVersion(modelDir, previous);
  return previous;
}
