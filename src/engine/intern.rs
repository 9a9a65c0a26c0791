//! Hash-consing of small sorted sets, so equal sets are stored once and compared by id.

use rustc_hash::FxHashMap as HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// Interns slices of `T`; id 0 is always the empty set.
#[derive(Debug)]
pub struct Interner<T: Hash + Eq> {
    items: Vec<Arc<[T]>>,
    ids: HashMap<Arc<[T]>, u32>,
}

impl<T: Hash + Eq> Default for Interner<T> {
    fn default() -> Self {
        let empty: Arc<[T]> = Arc::from(Vec::new());
        let mut ids = HashMap::default();
        ids.insert(Arc::clone(&empty), 0);
        Self {
            items: vec![empty],
            ids,
        }
    }
}

impl<T: Hash + Eq> Interner<T> {
    /// The id of a set (sorted and deduplicated by the caller).
    pub fn intern(&mut self, items: Vec<T>) -> u32 {
        if let Some(&id) = self.ids.get(items.as_slice()) {
            return id;
        }
        let rc: Arc<[T]> = Arc::from(items);
        let id = u32::try_from(self.items.len()).expect("fewer than 2^32 distinct sets");
        self.items.push(Arc::clone(&rc));
        self.ids.insert(rc, id);
        id
    }

    /// The set with an id.
    pub fn get(&self, id: u32) -> &[T] {
        &self.items[id as usize]
    }
}
