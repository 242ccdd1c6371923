//! Caps on live streams open at once, per signed-in session and per client
//! address. Each stream holds a connection, a hub subscription and a
//! session check every few seconds; without a cap one browser (or one
//! script) could open them until the server runs out.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex, PoisonError},
};

use tower_sessions::session::Id;

#[derive(Debug, Default)]
struct Open {
    sessions: HashMap<Id, usize>,
    addresses: HashMap<IpAddr, usize>,
}

/// The streams open now, by session and by address.
#[derive(Debug, Clone)]
pub struct StreamSlots {
    open: Arc<Mutex<Open>>,
    per_session: usize,
    per_address: usize,
}

/// Why a stream was refused: the cap that was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Session(usize),
    Address(usize),
}

/// One open stream's place; dropped with the stream, it frees the place.
#[derive(Debug)]
pub struct Slot {
    open: Arc<Mutex<Open>>,
    session: Option<Id>,
    address: Option<IpAddr>,
}

impl StreamSlots {
    pub fn new(per_session: usize, per_address: usize) -> Self {
        Self {
            open: Arc::default(),
            per_session,
            per_address,
        }
    }

    /// A place for one more stream, unless the session or the address
    /// already has as many as allowed.
    pub fn take(&self, session: Option<Id>, address: Option<IpAddr>) -> Result<Slot, Full> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = session {
            if open.sessions.get(&id).copied().unwrap_or(0) >= self.per_session {
                return Err(Full::Session(self.per_session));
            }
        }
        if let Some(ip) = address {
            if open.addresses.get(&ip).copied().unwrap_or(0) >= self.per_address {
                return Err(Full::Address(self.per_address));
            }
        }
        if let Some(id) = session {
            *open.sessions.entry(id).or_default() += 1;
        }
        if let Some(ip) = address {
            *open.addresses.entry(ip).or_default() += 1;
        }
        Ok(Slot {
            open: self.open.clone(),
            session,
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = self.session {
            release(&mut open.sessions, id);
        }
        if let Some(ip) = self.address {
            release(&mut open.addresses, ip);
        }
    }
}

/// One fewer; a key with none left is forgotten, so the maps stay small.
fn release<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: K) {
    if let Some(count) = counts.get_mut(&key) {
        *count = count.saturating_sub(1);
        if *count == 0 {
            counts.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_capped_and_given_back() {
        let slots = StreamSlots::new(2, 3);
        let (a, b) = (Some(Id(1)), Some(Id(2)));
        let ip = Some(IpAddr::from([192, 0, 2, 1]));
        let first = slots.take(a, ip).expect("first");
        let second = slots.take(a, ip).expect("second");
        assert_eq!(slots.take(a, ip).err(), Some(Full::Session(2)));
        let third = slots.take(b, ip).expect("another session");
        assert_eq!(slots.take(b, ip).err(), Some(Full::Address(3)));
        drop(first);
        let fourth = slots.take(b, ip).expect("a place came free");
        drop((second, third, fourth));
        // Nothing is left behind once every stream has ended.
        let open = slots.open.lock().expect("lock");
        assert!(open.sessions.is_empty() && open.addresses.is_empty());
    }
}
