//! Hash-consing of small sorted sets, so equal sets are stored once and compared by id.
//!
//! The sets live one after another in a single arena: a path search at hub scale reads
//! millions of them in no particular order, and one compact array keeps those reads in
//! the cache where a separate allocation per set scattered them over the heap.

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// Interns slices of `T`; id 0 is always the empty set.
#[derive(Debug)]
pub struct Interner<T: Hash + Eq> {
    /// Every set's items, set after set.
    items: Vec<T>,
    /// Where set `id` starts in `items`; set `id` ends where set `id + 1` starts.
    starts: Vec<usize>,
    /// The first set with a hash, then `same_hash` from set to set.
    by_hash: HashMap<u64, u32>,
    /// Per set, the next set with its hash (`NONE` at the end).
    same_hash: Vec<u32>,
}

const NONE: u32 = u32::MAX;

fn hash_of<T: Hash>(items: &[T]) -> u64 {
    let mut h = FxHasher::default();
    items.hash(&mut h);
    h.finish()
}

impl<T: Hash + Eq + Copy> Default for Interner<T> {
    fn default() -> Self {
        let mut interner = Self {
            items: Vec::new(),
            starts: vec![0],
            by_hash: HashMap::default(),
            same_hash: Vec::new(),
        };
        interner.intern(&[]);
        interner
    }
}

impl<T: Hash + Eq + Copy> Interner<T> {
    /// The id of a set (sorted and deduplicated by the caller), copied in when it is new.
    pub fn intern(&mut self, items: &[T]) -> u32 {
        let hash = hash_of(items);
        let first = self.by_hash.get(&hash).copied().unwrap_or(NONE);
        let mut id = first;
        while id != NONE {
            if self.get(id) == items {
                return id;
            }
            id = self.same_hash[id as usize];
        }
        let id = u32::try_from(self.starts.len() - 1).expect("fewer than 2^32 distinct sets");
        self.items.extend_from_slice(items);
        self.starts.push(self.items.len());
        self.same_hash.push(first);
        self.by_hash.insert(hash, id);
        id
    }

    /// How many items the sets hold together.
    pub fn items(&self) -> usize {
        self.items.len()
    }

    /// The set with an id.
    pub fn get(&self, id: u32) -> &[T] {
        let id = id as usize;
        &self.items[self.starts[id]..self.starts[id + 1]]
    }
}
