import type { CatalogItem, Modality } from '../../../shared/ports/item-catalog';

// Availability and deletion each take two bits: absent, false or true (a missing flag and a false
// one filter alike, but the item read back stays the item written).
const ABSENT = 0;
const FALSE = 1;
const TRUE = 2;
const flagOf = (v: boolean | undefined) => (v === undefined ? ABSENT : v ? TRUE : FALSE);
const flagValue = (bits: number) => (bits === ABSENT ? undefined : bits === TRUE);

/** Strings seen many times (categories, modalities, region lists) kept once, by number. */
class Interner<T> {
  private readonly numberOf = new Map<string, number>();
  readonly values: T[] = [];
  constructor(private readonly decode: (key: string) => T) {}
  number(key: string): number {
    let n = this.numberOf.get(key);
    if (n === undefined) {
      n = this.values.length;
      this.numberOf.set(key, n);
      this.values.push(this.decode(key));
    }
    return n;
  }
}

/**
 * Catalog items packed into typed arrays, one slot per item: the embedding as float32 (how the
 * catalog stores it, so reads are exact), price, popularity and creation time as float64,
 * category, modality and region list as interned numbers, the two flags in one byte, and titles
 * as UTF-8 in one shared buffer. About 200 bytes an item with 32-d embeddings (~200 MB at 1M)
 * against several KB as JavaScript objects. Values that do not pack (an embedding of another
 * length, a creation time that does not round-trip as ISO text, a fractional age) are kept aside
 * as written. Reads and writes are synchronous.
 */
export class CompactItemStore {
  readonly dimensions: number;
  private readonly slotOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private readonly free: number[] = [];
  private capacity = 0;
  private embedding = new Float32Array(0);
  private price = new Float64Array(0);
  private popularity = new Float64Array(0);
  private created = new Float64Array(0);
  private minAge = new Float32Array(0);
  private category = new Uint32Array(0);
  private modality = new Uint16Array(0);
  /** 0 = everywhere; otherwise 1 + the interned list's number. */
  private regions = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private titleAt = new Uint32Array(0);
  private titleLength = new Uint32Array(0);
  private titles = Buffer.alloc(0);
  private titlesEnd = 0;
  private readonly words = new Interner<string>((s) => s);
  private readonly regionLists = new Interner<readonly string[]>((s) => Object.freeze(JSON.parse(s)));
  private readonly oddEmbeddings = new Map<number, readonly number[]>();
  private readonly oddCreated = new Map<number, string>();
  private readonly oddAges = new Map<number, number>();

  constructor(dimensions: number, initialCapacity = 1024) {
    this.dimensions = dimensions;
    this.grow(Math.max(1, initialCapacity));
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds or replaces items by id. */
  put(items: readonly CatalogItem[]): void {
    for (const item of items) this.putOne(item);
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.slotOf.delete(id);
      this.ids[slot] = undefined;
      this.clearOdd(slot);
      this.titleLength[slot] = 0;
      this.free.push(slot);
    }
  }

  /** The item stored under `id`, as it was put; undefined when not held. */
  get(id: string): CatalogItem | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const d = this.dimensions;
    const flags = this.flags[slot] as number;
    const regions = this.regions[slot] as number;
    const age = this.oddAges.get(slot) ?? (this.minAge[slot] as number);
    const available = flagValue(flags & 3);
    const deleted = flagValue(flags >> 2);
    const at = this.titleAt[slot] as number;
    let embedding = this.oddEmbeddings.get(slot);
    if (!embedding) {
      // A plain loop: Array.from walks a typed array through its iterator, several times slower.
      const v = new Array<number>(d);
      for (let i = 0, o = slot * d; i < d; i++) v[i] = this.embedding[o + i] as number;
      embedding = v;
    }
    // Optional fields are assigned, not spread: one object per item read, a few hundred a request.
    const item = {
      item_id: id,
      title: this.titles.toString('utf8', at, at + (this.titleLength[slot] as number)),
      category: this.words.values[this.category[slot] as number] as string,
      modality: this.words.values[this.modality[slot] as number] as Modality,
      price: this.price[slot] as number,
      popularity: this.popularity[slot] as number,
      created_at: this.oddCreated.get(slot) ?? new Date(this.created[slot] as number).toISOString(),
      embedding,
    } as { -readonly [K in keyof CatalogItem]: CatalogItem[K] };
    if (available !== undefined) item.available = available;
    if (regions) item.regions = this.regionLists.values[regions - 1] as readonly string[];
    if (!Number.isNaN(age)) item.min_age = age;
    if (deleted !== undefined) item.deleted = deleted;
    return item;
  }

  private putOne(item: CatalogItem) {
    let slot = this.slotOf.get(item.item_id);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.ids.length;
      if (slot >= this.capacity) this.grow(this.capacity * 2);
      this.slotOf.set(item.item_id, slot);
      this.ids[slot] = item.item_id;
    }
    this.clearOdd(slot);
    const d = this.dimensions;
    if (item.embedding.length === d) this.embedding.set(item.embedding, slot * d);
    else this.oddEmbeddings.set(slot, [...item.embedding]);
    this.price[slot] = item.price;
    this.popularity[slot] = item.popularity;
    const ms = Date.parse(item.created_at);
    this.created[slot] = ms;
    if (Number.isNaN(ms) || new Date(ms).toISOString() !== item.created_at)
      this.oddCreated.set(slot, item.created_at);
    const age = item.min_age ?? Number.NaN;
    this.minAge[slot] = age;
    if (Math.fround(age) !== age && !Number.isNaN(age)) this.oddAges.set(slot, age);
    this.category[slot] = this.words.number(item.category);
    this.modality[slot] = this.words.number(item.modality);
    this.regions[slot] = item.regions ? 1 + this.regionLists.number(JSON.stringify(item.regions)) : 0;
    this.flags[slot] = flagOf(item.available) | (flagOf(item.deleted) << 2);
    this.putTitle(slot, item.title ?? '');
  }

  private putTitle(slot: number, title: string) {
    const bytes = Buffer.byteLength(title);
    if (bytes <= (this.titleLength[slot] as number)) {
      // Fits where the old title was: no new space.
      this.titles.write(title, this.titleAt[slot] as number);
    } else {
      if (this.titlesEnd + bytes > this.titles.length) this.packTitles(bytes);
      this.titles.write(title, this.titlesEnd);
      this.titleAt[slot] = this.titlesEnd;
      this.titlesEnd += bytes;
    }
    this.titleLength[slot] = bytes;
  }

  /** Copies the live titles into a buffer with room for `more` bytes (replaced titles go). */
  private packTitles(more: number) {
    let live = 0;
    for (const [slot, id] of this.ids.entries())
      if (id !== undefined) live += this.titleLength[slot] as number;
    const next = Buffer.alloc(Math.max(1024, 2 * (live + more)));
    let end = 0;
    for (const [slot, id] of this.ids.entries()) {
      if (id === undefined) continue;
      const at = this.titleAt[slot] as number;
      const length = this.titleLength[slot] as number;
      this.titles.copy(next, end, at, at + length);
      this.titleAt[slot] = end;
      end += length;
    }
    this.titles = next;
    this.titlesEnd = end;
  }

  private clearOdd(slot: number) {
    this.oddEmbeddings.delete(slot);
    this.oddCreated.delete(slot);
    this.oddAges.delete(slot);
  }

  private grow(capacity: number) {
    const widen = <A extends Float32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      old: A,
      make: (n: number) => A,
      per = 1,
    ): A => {
      const next = make(capacity * per);
      next.set(old);
      return next;
    };
    this.embedding = widen(this.embedding, (n) => new Float32Array(n), this.dimensions);
    this.price = widen(this.price, (n) => new Float64Array(n));
    this.popularity = widen(this.popularity, (n) => new Float64Array(n));
    this.created = widen(this.created, (n) => new Float64Array(n));
    this.minAge = widen(this.minAge, (n) => new Float32Array(n));
    this.category = widen(this.category, (n) => new Uint32Array(n));
    this.modality = widen(this.modality, (n) => new Uint16Array(n));
    this.regions = widen(this.regions, (n) => new Uint32Array(n));
    this.flags = widen(this.flags, (n) => new Uint8Array(n));
    this.titleAt = widen(this.titleAt, (n) => new Uint32Array(n));
    this.titleLength = widen(this.titleLength, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }
}
