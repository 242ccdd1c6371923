//! Live updates: one hub per server reads each new event from the log once
//! and fans it out in memory; every `GET /api/events` stream filters that
//! fan-out to what its reader may see.

mod hub;
mod slots;
mod stream;

pub use hub::Hub;
pub use slots::StreamSlots;
pub use stream::events;
