import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'

/**
 * A seeded random source. Every draw advances it, so two sources built from the same seed give
 * the same sequence. The simulators give each device its own source (see {@link deviceSeed}) so a
 * device's messages do not depend on how many other devices run beside it.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  float: () => number
  /** Uniform in [min, max). */
  between: (min: number, max: number) => number
  /** Uniform integer in [min, max] (both included). */
  int: (min: number, max: number) => number
  /** Normal with the given mean and standard deviation (Box–Muller). */
  normal: (mean?: number, sd?: number) => number
  /** True with probability `p`. */
  chance: (p: number) => boolean
  /** Exponential waiting time for events at `ratePerUnit` (same unit as the result). */
  exp: (ratePerUnit: number) => number
  /** One element of a non-empty array. */
  pick: <T>(items: readonly T[]) => T
}

/**
 * Builds an {@link Rng} on pure-rand's xoroshiro128+.
 *
 * @example const rng = createRng(1); rng.between(0.005, 0.02)
 */
export function createRng (seed: number): Rng {
  const gen: RandomGenerator = xoroshiro128plus(seed | 0)
  const float = (): number => uniformFloat64(gen)
  const rng: Rng = {
    float,
    between: (min, max) => min + (max - min) * float(),
    int: (min, max) => min + Math.floor(float() * (max - min + 1)),
    normal: (mean = 0, sd = 1) => {
      // 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - float()
      const v = float()
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    chance: (p) => float() < p,
    exp: (rate) => -Math.log(1 - float()) / rate,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty array')
      return items[Math.floor(float() * items.length)]!
    }
  }
  return rng
}

/** 32-bit FNV-1a hash of a string, mixed with a seed. */
export function hashSeed (seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed | 0)) >>> 0
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  // Final avalanche (murmur3 fmix32) so that close keys give unrelated seeds.
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h | 0
}

/**
 * Seed of one device's random source: a function of the run seed and the device id only, so
 * adding a device to the community leaves every other device's messages unchanged.
 */
export function deviceSeed (seed: number, deviceId: string): number {
  return hashSeed(seed, `device:${deviceId}`)
}

/** A deterministic uniform value in [0, 1) for a (seed, key) pair, without any state. */
export function hashUnit (seed: number, key: string): number {
  return (hashSeed(seed, key) >>> 0) / 0x1_0000_0000
}
