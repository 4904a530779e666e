import type { UserState } from '../../shared/ports/user-state-store';
import { idDigest, packDigests, unpackDigests } from '../common/event-digest';
import type { SessionFeatures, UserProfile } from './profile';

/**
 * Vectors travel as bytes, like the items table's embeddings: a 32-d list of DynamoDB numbers is
 * 32 attribute values to marshal and several times the size. The taste sum is float64 so folding
 * stays exact across reads and writes; the unit embedding and session vectors are float32.
 */
const f64 = (v: readonly number[]) => new Uint8Array(new Float64Array(v).buffer);
const f32 = (v: readonly number[]) => new Uint8Array(new Float32Array(v).buffer);

function fromBytes(bytes: unknown, width: 4 | 8): number[] {
  if (Array.isArray(bytes)) return bytes as number[];
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) return [];
  // A float view needs an aligned offset: bytes cut from a shared buffer are copied first.
  const aligned = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
  const View = width === 8 ? Float64Array : Float32Array;
  const floats = new View(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / width);
  // A plain loop: Array.from walks a typed array through its iterator, one result object per float.
  const out: number[] = [];
  for (let i = 0; i < floats.length; i++) out.push(floats[i] as number);
  return out;
}

type Stored = Record<string, unknown>;

/**
 * DynamoDB numbers range from 1e-130 to 1e126 in magnitude. Weights decayed over a long absence
 * (affinities, counts, mood) fall below that, and a row holding one fails every later write of the
 * user with "Number underflow", so every event of theirs would end in the dead-letter queue. A
 * weight that small is zero for every use; decayed-away affinities are dropped.
 */
const NEGLIGIBLE = 1e-100;
const storable = (x: number) => (Math.abs(x) < NEGLIGIBLE ? 0 : x);
function storableWeights(r: Readonly<Record<string, number>>): Record<string, number> {
  let negligible = false;
  for (const k in r) if (Math.abs(r[k] as number) < NEGLIGIBLE) negligible = true;
  if (!negligible) return { ...r };
  return Object.fromEntries(Object.entries(r).filter(([, v]) => !(Math.abs(v) < NEGLIGIBLE)));
}

/** The row as the store writes it. */
export function encodeProfile(p: UserProfile): UserState {
  const sessions = p.sessions
    ? Object.fromEntries(
        Object.entries(p.sessions).map(([id, s]) => [
          id,
          { ...s, vector: f32(s.vector), category_counts: storableWeights(s.category_counts) },
        ]),
      )
    : undefined;
  return {
    ...p,
    ...(p.taste ? { taste: { sum: f64(p.taste.sum), at: p.taste.at } } : {}),
    ...(p.embedding ? { embedding: f32(p.embedding) } : {}),
    ...(p.affinities
      ? { affinities: { ...p.affinities, scores: storableWeights(p.affinities.scores) } }
      : {}),
    ...(p.mood ? { mood: p.mood.map(storable) } : {}),
    ...(sessions ? { sessions } : {}),
  } as unknown as UserState;
}

/**
 * Rows written before the digests keep the raw ids (a list of up to 100 UUIDs, ~60% of the row);
 * they become digests here so a retry of one of those events is still recognised, and the next
 * write drops the list.
 */
function legacyDigests(r: Stored & UserProfile) {
  const ids = r.recent_event_ids as readonly string[] | undefined;
  if (!ids) return {};
  const digests = [...ids.map(idDigest), ...unpackDigests(r.recent_event_digests)];
  return digests.length ? { recent_event_digests: packDigests(digests) } : {};
}

/** The row as the handler folds into it; rows written before the byte encodings still read. */
export function decodeProfile(row: UserState | undefined): UserProfile | undefined {
  if (!row) return undefined;
  const { recent_event_ids: _legacy, ...r } = row as unknown as Stored & UserProfile;
  const taste = r.taste as { sum: unknown; at: number } | undefined;
  const sessions = r.sessions as Record<string, Stored> | undefined;
  return {
    ...r,
    ...legacyDigests(row as unknown as Stored & UserProfile),
    ...(taste ? { taste: { sum: fromBytes(taste.sum, 8), at: Number(taste.at) } } : {}),
    ...(r.embedding ? { embedding: fromBytes(r.embedding, 4) } : {}),
    ...(sessions
      ? {
          sessions: Object.fromEntries(
            Object.entries(sessions).map(([id, s]) => [
              id,
              { ...(s as unknown as SessionFeatures), vector: fromBytes(s.vector, 4) },
            ]),
          ),
        }
      : {}),
  };
}
