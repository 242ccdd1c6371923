//! Admission for password hashing. Each argon2id hash holds 19 MiB for
//! tens of milliseconds; run without bound, a flood of sign-ins takes the
//! memory of the whole machine before anyone is signed in. So hashes run
//! one per core, a short queue waits for a free core, and anything beyond
//! it (or waiting too long) is refused at once, to be tried again shortly.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        OnceLock,
    },
    time::Duration,
};

use tokio::sync::{Semaphore, SemaphorePermit};

/// How many may wait per core for a hash to finish.
const WAITING_PER_CORE: usize = 8;

/// How long one may wait for a core before being refused.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

pub(super) struct Queue {
    running: Semaphore,
    /// Everyone admitted: running or waiting for a core.
    admitted: AtomicUsize,
    capacity: usize,
}

/// The queue was full, or the wait too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// A core to hash on; the place in the queue is given back when dropped.
pub(super) struct Turn<'a> {
    _permit: SemaphorePermit<'a>,
    queue: &'a Queue,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.queue.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Gives back a place in the queue when a wait ends without a core.
struct Place<'a>(&'a Queue);

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Queue {
    pub(super) fn new(cores: usize) -> Self {
        let cores = cores.max(1);
        Self {
            running: Semaphore::new(cores),
            admitted: AtomicUsize::new(0),
            capacity: cores * (1 + WAITING_PER_CORE),
        }
    }

    /// The queue for this machine, sized to its cores.
    pub(super) fn shared() -> &'static Queue {
        static QUEUE: OnceLock<Queue> = OnceLock::new();
        QUEUE.get_or_init(|| {
            Queue::new(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
        })
    }

    /// Waits for a core, or refuses when the queue is full or the wait
    /// reaches `longest`.
    pub(super) async fn turn(&self, longest: Duration) -> Result<Turn<'_>, Busy> {
        let admitted = self
            .admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.capacity).then_some(n + 1)
            });
        if admitted.is_err() {
            return Err(Busy);
        }
        let place = Place(self);
        match tokio::time::timeout(longest, self.running.acquire()).await {
            Ok(Ok(permit)) => {
                // The place moves into the turn, which gives it back.
                std::mem::forget(place);
                Ok(Turn {
                    _permit: permit,
                    queue: self,
                })
            }
            // Timed out, or the semaphore was closed (it never is).
            _ => Err(Busy),
        }
    }

    pub(super) async fn shared_turn() -> Result<Turn<'static>, Busy> {
        Self::shared().turn(LONGEST_WAIT).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_cores_and_the_queue_callers_are_refused_at_once() {
        let queue = Queue::new(1);
        let first = queue.turn(LONGEST_WAIT).await.expect("a free core");
        // Eight may wait behind the one running; the tenth is refused.
        let waiting: Vec<_> = (0..WAITING_PER_CORE)
            .map(|_| queue.turn(Duration::from_secs(30)))
            .collect();
        let mut waiting: Vec<_> = waiting.into_iter().map(Box::pin).collect();
        for wait in &mut waiting {
            // Polled once, so each takes its place in the queue.
            assert!(futures_poll_once(wait.as_mut()).await.is_none());
        }
        assert!(matches!(queue.turn(LONGEST_WAIT).await, Err(Busy)));
        drop(first);
        // The core passes to a waiter, and places are given back as turns end.
        let next = waiting.remove(0).await.expect("the first waiter's turn");
        drop(next);
        drop(waiting);
        assert_eq!(queue.admitted.load(Ordering::Acquire), 0);
        assert!(queue.turn(LONGEST_WAIT).await.is_ok());
    }

    #[tokio::test]
    async fn a_wait_that_lasts_too_long_is_refused_and_gives_its_place_back() {
        let queue = Queue::new(1);
        let _running = queue.turn(LONGEST_WAIT).await.expect("a free core");
        assert!(matches!(
            queue.turn(Duration::from_millis(20)).await,
            Err(Busy)
        ));
        assert_eq!(queue.admitted.load(Ordering::Acquire), 1);
    }

    /// Polls a future once: `Some` if it finished.
    async fn futures_poll_once<F: std::future::Future + Unpin>(f: F) -> Option<F::Output> {
        let mut f = f;
        std::future::poll_fn(|cx| {
            std::task::Poll::Ready(match std::pin::Pin::new(&mut f).poll(cx) {
                std::task::Poll::Ready(out) => Some(out),
                std::task::Poll::Pending => None,
            })
        })
        .await
    }
}
