import type { UserState } from '../../shared/ports/user-state-store';
import { idDigest, packDigests, unpackDigests } from '../common/event-digest';
import { FloatBytes } from './float-bytes';
import type { SessionFeatures, UserProfile } from './profile';

/**
 * Vectors travel as bytes, like the items table's embeddings: a 32-d list of DynamoDB numbers is
 * 32 attribute values to marshal and several times the size. The taste sum is float64 so folding
 * stays exact across reads and writes; the unit embedding and session vectors are float32.
 */

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
  // One copy, then the encoded fields overwritten in place: spreading a partial object per field
  // made the row object again for each of them.
  const row: Stored = { ...p };
  const sessions = p.sessions ? Object.entries(p.sessions) : [];
  const floats32 = sessions.reduce((n, [, s]) => n + s.vector.length, p.embedding?.length ?? 0);
  const bytes = new FloatBytes(8 * (p.taste?.sum.length ?? 0) + 4 * floats32);
  if (p.taste) row.taste = { sum: bytes.f64(p.taste.sum), at: p.taste.at };
  if (p.embedding) row.embedding = bytes.f32(p.embedding);
  if (p.affinities) row.affinities = { ...p.affinities, scores: storableWeights(p.affinities.scores) };
  if (p.mood) row.mood = p.mood.map(storable);
  if (p.sessions)
    row.sessions = Object.fromEntries(
      sessions.map(([id, s]) => [
        id,
        { ...s, vector: bytes.f32(s.vector), category_counts: storableWeights(s.category_counts) },
      ]),
    );
  return row as unknown as UserState;
}

/**
 * Rows written before the digests keep the raw ids (a list of up to 100 UUIDs, ~60% of the row);
 * they become digests here so a retry of one of those events is still recognised, and the next
 * write drops the list.
 */
function legacyDigests(r: Stored & UserProfile): Uint8Array | undefined {
  const ids = r.recent_event_ids as readonly string[] | undefined;
  if (!ids) return undefined;
  const digests = [...ids.map(idDigest), ...unpackDigests(r.recent_event_digests)];
  return digests.length ? packDigests(digests) : undefined;
}

/** The row as the handler folds into it; rows written before the byte encodings still read. */
export function decodeProfile(row: UserState | undefined): UserProfile | undefined {
  if (!row) return undefined;
  const stored = row as unknown as Stored & UserProfile;
  let out: Stored;
  if ('recent_event_ids' in stored) {
    const { recent_event_ids: _legacy, ...rest } = stored;
    out = rest;
    const digests = legacyDigests(stored);
    if (digests) out.recent_event_digests = digests;
  } else out = { ...stored };
  // Decoded fields overwrite the copy in place, as in encodeProfile.
  const taste = stored.taste as { sum: unknown; at: number } | undefined;
  if (taste) out.taste = { sum: fromBytes(taste.sum, 8), at: Number(taste.at) };
  if (stored.embedding) out.embedding = fromBytes(stored.embedding, 4);
  const sessions = stored.sessions as Record<string, Stored> | undefined;
  if (sessions)
    out.sessions = Object.fromEntries(
      Object.entries(sessions).map(([id, s]) => [
        id,
        { ...(s as unknown as SessionFeatures), vector: fromBytes(s.vector, 4) },
      ]),
    );
  return out as unknown as UserProfile;
}
