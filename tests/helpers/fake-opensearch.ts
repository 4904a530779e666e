import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cosine } from '../../shared/vector-math';
import { HttpError, type Json, matches, osError } from './fake-opensearch-dsl';

/**
 * A documented mock of the OpenSearch REST endpoints `OpenSearchVectorIndex` calls, for tests only:
 * no OpenSearch server can run here. It speaks the documented request and response shapes and
 * scores k-NN queries EXACTLY in the field's `space_type`: `cosinesimil` (score `(1 + cos) / 2`, also
 * when no method is mapped) or `innerproduct` (score `dot + 1`, or `1 / (1 - dot)` below 0), so the port's contract
 * suite can run against the adapter. Implemented: `PUT|HEAD|DELETE /<index>`, `_bulk` (NDJSON,
 * `index`/`delete`, `refresh`, `require_alias`), `_search` with a `knn` query (`k`, `filter` of
 * `bool`/`term`/`terms`/`ids`/`match_all`) and `size`, `_count`, `_refresh`, `POST /_aliases`
 * (`add`/`remove`/`remove_index`, atomic) and `GET /_alias/<name>`. Like OpenSearch, writes are
 * searchable only after a refresh (`refresh=true|wait_for` or `_refresh`); unlike it, there is no
 * periodic refresh, no auto-created index and one shard per index.
 */
export interface FakeOpenSearch {
  readonly url: string;
  /** `METHOD /path?query` of every request, in order. */
  readonly requests: string[];
  /** Alias name -> indexes. */
  aliases(): Record<string, string[]>;
  indexNames(): string[];
  /** Makes `_bulk` items with these ids fail with 429 `es_rejected_execution_exception`. */
  rejectIds(ids: Iterable<string>): void;
  close(): Promise<void>;
}

interface Doc {
  readonly source: Json;
  readonly version: number;
}
interface FakeIndex {
  readonly mappings: {
    dynamic?: string;
    properties: Record<string, { type: string; dimension?: number; method?: { space_type?: string } }>;
  };
  readonly docs: Map<string, Doc>;
  /** What search sees: the docs as of the last refresh. */
  searchable: Map<string, Doc>;
  seqNo: number;
}

const SHARDS = { total: 1, successful: 1, skipped: 0, failed: 0 };

/** Starts the fake on 127.0.0.1 on a port the kernel picks. */
export async function startFakeOpenSearch(): Promise<FakeOpenSearch> {
  const indices = new Map<string, FakeIndex>();
  const aliases = new Map<string, Set<string>>();
  const rejected = new Set<string>();
  const requests: string[] = [];

  const missing = (name: string) =>
    osError(404, 'index_not_found_exception', `no such index [${name}]`, { index: name });

  /** Concrete indexes a name (index or alias) resolves to. */
  const resolve = (name: string): string[] => {
    if (indices.has(name)) return [name];
    const via = aliases.get(name);
    if (via?.size) return [...via].sort();
    throw missing(name);
  };

  const refresh = (names: Iterable<string>) => {
    for (const n of names) {
      const idx = indices.get(n);
      if (idx) idx.searchable = new Map(idx.docs);
    }
  };

  function createIndex(name: string, body: Json): Json {
    if (indices.has(name) || aliases.has(name))
      throw osError(400, 'resource_already_exists_exception', `index [${name}/x] already exists`, {
        index: name,
      });
    const mappings = body.mappings as FakeIndex['mappings'] | undefined;
    const knn = (body.settings as { index?: { knn?: boolean } } | undefined)?.index?.knn;
    for (const [field, m] of Object.entries(mappings?.properties ?? {})) {
      if (m.type === 'knn_vector' && knn !== true)
        throw osError(400, 'mapper_parsing_exception', `index.knn must be true for knn_vector [${field}]`);
    }
    indices.set(name, {
      mappings: mappings ?? { properties: {} },
      docs: new Map(),
      searchable: new Map(),
      seqNo: 0,
    });
    return { acknowledged: true, shards_acknowledged: true, index: name };
  }

  /** Checks a document against the mapping the way `dynamic: strict` and `knn_vector` do. */
  function checkDoc(idx: FakeIndex, id: string, source: Json): void {
    for (const [field, value] of Object.entries(source)) {
      const m = idx.mappings.properties[field];
      if (!m) {
        if (idx.mappings.dynamic === 'strict')
          throw osError(
            400,
            'strict_dynamic_mapping_exception',
            `mapping set to strict, dynamic introduction of [${field}] within [_doc] is not allowed`,
          );
        continue;
      }
      if (m.type === 'knn_vector' && (!Array.isArray(value) || value.length !== m.dimension))
        throw osError(
          400,
          'mapper_parsing_exception',
          `failed to parse field [${field}] of type [knn_vector] in document with id '${id}'`,
          {
            caused_by: {
              type: 'illegal_argument_exception',
              reason: `Vector dimension mismatch. Expected: ${m.dimension}, Given: ${Array.isArray(value) ? value.length : 0}`,
            },
          },
        );
    }
  }

  function bulk(pathIndex: string | undefined, lines: Json[], query: URLSearchParams): Json {
    const items: Json[] = [];
    const touched = new Set<string>();
    const requireAlias = query.get('require_alias') === 'true';
    for (let i = 0; i < lines.length; i++) {
      const [op, meta] = Object.entries(lines[i] as Json)[0] as [string, { _index?: string; _id?: string }];
      const source = op === 'delete' ? undefined : (lines[++i] as Json);
      const target = meta._index ?? pathIndex ?? '';
      const id = meta._id ?? '';
      try {
        if (op !== 'index' && op !== 'delete')
          throw osError(400, 'illegal_argument_exception', `unsupported action [${op}]`);
        if (requireAlias && op === 'index' && !aliases.has(target))
          throw osError(
            404,
            'index_not_found_exception',
            `no such index [${target}] and [require_alias] request flag is [true] and [${target}] is not an alias`,
            { index: target },
          );
        const names = resolve(target);
        if (names.length > 1)
          throw osError(400, 'illegal_argument_exception', `no write index is defined for alias [${target}]`);
        const name = names[0] as string;
        const idx = indices.get(name) as FakeIndex;
        if (rejected.has(id))
          throw osError(429, 'es_rejected_execution_exception', 'rejected execution of bulk');
        const prev = idx.docs.get(id);
        const base = {
          _index: name,
          _id: id,
          _shards: { total: 2, successful: 1, failed: 0 },
          _primary_term: 1,
        };
        if (op === 'delete') {
          if (prev) idx.docs.delete(id);
          items.push({
            delete: {
              ...base,
              _version: (prev?.version ?? 0) + 1,
              result: prev ? 'deleted' : 'not_found',
              _seq_no: idx.seqNo++,
              status: prev ? 200 : 404,
            },
          });
        } else {
          checkDoc(idx, id, source ?? {});
          const version = (prev?.version ?? 0) + 1;
          idx.docs.set(id, { source: source ?? {}, version });
          items.push({
            index: {
              ...base,
              _version: version,
              result: prev ? 'updated' : 'created',
              _seq_no: idx.seqNo++,
              status: prev ? 200 : 201,
            },
          });
        }
        touched.add(name);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const { error } = err.body as { error: Json };
        const { root_cause: _rc, ...cause } = error;
        items.push({ [op]: { _index: target, _id: id, status: err.status, error: cause } });
      }
    }
    if (query.get('refresh') === 'true' || query.get('refresh') === 'wait_for') refresh(touched);
    return { took: 1, errors: items.some((it) => 'error' in (Object.values(it)[0] as Json)), items };
  }

  function search(target: string, body: Json): Json {
    const names = resolve(target);
    const knn = (
      body.query as { knn?: Record<string, { vector: number[]; k: number; filter?: Json }> } | undefined
    )?.knn;
    const entry = knn ? Object.entries(knn)[0] : undefined;
    if (!entry) throw osError(400, 'parsing_exception', 'the fake supports only a knn query');
    const [field, { vector, k, filter }] = entry;
    const size = typeof body.size === 'number' ? body.size : 10;
    const scored: { _index: string; _id: string; _score: number; source: Json }[] = [];
    for (const name of names) {
      const idx = indices.get(name) as FakeIndex;
      const dim = idx.mappings.properties[field]?.dimension;
      const space = idx.mappings.properties[field]?.method?.space_type ?? 'cosinesimil';
      if (dim !== vector.length)
        throw osError(
          400,
          'illegal_argument_exception',
          `Query vector has invalid dimension: ${vector.length}. Dimension should be: ${dim}`,
        );
      const perShard = [...idx.searchable]
        .filter(([id, d]) => !filter || matches(filter, id, d.source))
        .map(([id, d]) => ({
          _index: name,
          _id: id,
          _score: knnScore(space, vector, d.source[field] as number[]),
          source: d.source,
        }))
        .sort(byScore)
        .slice(0, k);
      scored.push(...perShard);
    }
    const hits = scored.sort(byScore).slice(0, size);
    return {
      took: 1,
      timed_out: false,
      _shards: { ...SHARDS, total: names.length, successful: names.length },
      hits: {
        total: { value: scored.length, relation: 'eq' },
        max_score: hits[0]?._score ?? null,
        hits: hits.map(({ source, ...h }) => (body._source === false ? h : { ...h, _source: source })),
      },
    };
  }

  function updateAliases(body: Json): Json {
    const actions = (body.actions ?? []) as Record<string, { index: string; alias?: string }>[];
    const next = new Map([...aliases].map(([a, s]) => [a, new Set(s)]));
    const dropped = new Set<string>();
    for (const action of actions) {
      const [type, { index, alias }] = Object.entries(action)[0] as [
        string,
        { index: string; alias?: string },
      ];
      if (!indices.has(index) || dropped.has(index)) throw missing(index);
      if (type === 'add') next.set(alias as string, (next.get(alias as string) ?? new Set()).add(index));
      else if (type === 'remove') {
        if (!next.get(alias as string)?.delete(index))
          throw osError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`);
      } else if (type === 'remove_index') dropped.add(index);
      else throw osError(400, 'illegal_argument_exception', `unknown alias action [${type}]`);
    }
    // Validated in full before anything changes: the whole request is one cluster-state update.
    for (const index of dropped) dropIndex(index);
    aliases.clear();
    for (const [a, s] of next) {
      for (const i of dropped) s.delete(i);
      if (s.size) aliases.set(a, s);
    }
    return { acknowledged: true };
  }

  function dropIndex(name: string): void {
    indices.delete(name);
    for (const [a, s] of aliases) {
      s.delete(name);
      if (!s.size) aliases.delete(a);
    }
  }

  async function route(req: IncomingMessage, url: URL, raw: string): Promise<[number, Json | undefined]> {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = () => (raw ? (JSON.parse(raw) as Json) : {});
    const [a, b, c] = parts;
    if (a === '_aliases' && method === 'POST') return [200, updateAliases(json())];
    if (a === '_alias' && b && method === 'GET') {
      const on = aliases.get(b);
      if (!on?.size) return [404, { error: `alias [${b}] missing`, status: 404 }];
      return [200, Object.fromEntries([...on].sort().map((i) => [i, { aliases: { [b]: {} } }]))];
    }
    if ((a === '_bulk' || b === '_bulk') && (method === 'POST' || method === 'PUT')) {
      const lines = raw
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Json);
      return [200, bulk(a === '_bulk' ? undefined : a, lines, url.searchParams)];
    }
    if (a === '_refresh') {
      refresh(indices.keys());
      return [200, { _shards: { total: indices.size, successful: indices.size, failed: 0 } }];
    }
    if (a && b === '_search' && !c) return [200, search(a, json())];
    if (a && b === '_count' && !c) {
      const names = resolve(a);
      const count = names.reduce((n, i) => n + (indices.get(i)?.searchable.size ?? 0), 0);
      return [200, { count, _shards: { ...SHARDS, total: names.length, successful: names.length } }];
    }
    if (a && b === '_refresh' && !c) {
      const names = resolve(a);
      refresh(names);
      return [200, { _shards: { total: names.length * 2, successful: names.length, failed: 0 } }];
    }
    if (a && !b && !a.startsWith('_')) {
      if (method === 'PUT') return [200, createIndex(a, json())];
      if (method === 'HEAD') return [indices.has(a) ? 200 : 404, undefined];
      if (method === 'DELETE') {
        if (!indices.has(a)) throw missing(a);
        dropIndex(a);
        return [200, { acknowledged: true }];
      }
    }
    throw osError(400, 'illegal_argument_exception', `the fake does not implement ${method} ${url.pathname}`);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      route(req, url, Buffer.concat(chunks).toString('utf8'))
        .catch((err: unknown) => {
          if (err instanceof HttpError) return [err.status, err.body] as [number, Json];
          return [500, { error: { type: 'exception', reason: String(err) }, status: 500 }] as [number, Json];
        })
        .then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
          res.end(body === undefined || req.method === 'HEAD' ? undefined : JSON.stringify(body));
        });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    aliases: () => Object.fromEntries([...aliases].map(([a, s]) => [a, [...s].sort()])),
    indexNames: () => [...indices.keys()].sort(),
    rejectIds: (ids) => {
      for (const id of ids) rejected.add(id);
    },
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : ok()));
      }),
  };
}

/** The documented OpenSearch score of `space` (cosinesimil or innerproduct). */
function knnScore(space: string, q: readonly number[], v: readonly number[]): number {
  if (space === 'cosinesimil') return (1 + cosine(q, v)) / 2;
  if (space !== 'innerproduct') throw osError(400, 'illegal_argument_exception', `the fake has no ${space}`);
  let dot = 0;
  for (let i = 0; i < q.length; i++) dot += (q[i] as number) * (v[i] as number);
  return dot >= 0 ? dot + 1 : 1 / (1 - dot);
}

function byScore(a: { _score: number; _id: string }, b: { _score: number; _id: string }): number {
  return b._score - a._score || (a._id < b._id ? -1 : 1);
}
