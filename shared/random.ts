/** A source of uniform numbers in [0, 1); inject a seeded one for reproducible runs. */
export type Rng = () => number;

/**
 * mulberry32: a tiny seeded PRNG. The demo catalog, workload generators, simulations and Monte
 * Carlo estimates all draw from it, so the same seed gives the same numbers on every machine.
 */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box-Muller. */
export function gaussian(rand: Rng): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
