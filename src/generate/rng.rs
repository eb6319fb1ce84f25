//! A tiny seeded random number generator (SplitMix64), so that the generator's output is
//! byte-stable forever and does not depend on a crate's algorithm choices (#2). Every entity gets
//! its own stream, seeded from (seed, entity kind, index), so nothing has to be kept in memory.

/// SplitMix64: small, fast and good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// Mixes one 64-bit value (the SplitMix64 finaliser).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream for entity `index` of kind `kind` under `seed`.
    pub fn for_entity(seed: u64, kind: u64, index: u64) -> Rng {
        Rng(mix(mix(seed ^ mix(kind.wrapping_add(0x9E37))) ^ index))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// A number in `lo..=hi` (returns `lo` when `hi < lo`).
    pub fn between(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i32
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// One item of a non-empty weighted list `(item, weight)`.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (item, w) in items {
            if roll < u64::from(*w) {
                return *item;
            }
            roll -= u64::from(*w);
        }
        items[items.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_stable_and_distinct() {
        let a: Vec<u64> = (0..3)
            .map(|_| Rng::for_entity(394, 1, 7).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::for_entity(394, 1, 7).next_u64(),
            Rng::for_entity(394, 1, 8).next_u64()
        );
        let mut r = Rng::for_entity(1, 2, 3);
        assert!((0..1000).all(|_| (3..=9).contains(&r.between(3, 9))));
    }
}
