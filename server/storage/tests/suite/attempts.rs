//! Sign-in attempts are counted in the database: attempts made at once, and
//! from two connections as two instances would, never pass the limit.

use domain::lockout::Locked;

use storage::{self, AttemptCounter};

use super::{MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

const WINDOW: i64 = 15 * MINUTE;

fn counter(key: &str, limit: usize) -> AttemptCounter {
    AttemptCounter {
        key: key.to_owned(),
        limit,
    }
}

async fn attempts_at_once_never_pass_the_limit(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    // A second pool on the same database stands for a second instance.
    let other = storage::connect(&test.url)
        .await
        .expect("open the database again");
    let account = counter("aaaa0001", 5);
    let address = counter("bbbb0002", 50);
    let tries = (0..20).map(|i| {
        let store = if i % 2 == 0 {
            test.store.clone()
        } else {
            other.clone()
        };
        let counters = vec![account.clone(), address.clone()];
        tokio::spawn(async move { store.count_attempt(&counters, WINDOW, T0).await })
    });
    let mut counted = 0;
    let mut locked = 0;
    for task in tries.collect::<Vec<_>>() {
        match task.await.expect("task").expect("count") {
            Ok(ids) => {
                assert_eq!(ids.len(), 2, "one row per counter");
                counted += 1;
            }
            Err(Locked { retry_after_ms }) => {
                assert_eq!(retry_after_ms, WINDOW);
                locked += 1;
            }
        }
    }
    assert_eq!((counted, locked), (5, 15));

    // The address was counted only for the five that went ahead.
    let address_alone = vec![counter("bbbb0002", 6)];
    assert!(test
        .store
        .count_attempt(&address_alone, WINDOW, T0)
        .await
        .expect("count")
        .is_ok());
    assert_eq!(
        test.store
            .count_attempt(&address_alone, WINDOW, T0 + MINUTE)
            .await
            .expect("count"),
        Err(Locked {
            retry_after_ms: WINDOW - MINUTE
        })
    );

    // Once the window has passed, the account may try again.
    let later = T0 + WINDOW;
    let again = test
        .store
        .count_attempt(std::slice::from_ref(&account), WINDOW, later + 1)
        .await
        .expect("count");
    assert!(again.is_ok(), "{again:?}");

    other.close().await;
    test.finish().await;
}
on_both_backends!(attempts_at_once_never_pass_the_limit);

async fn forgetting_and_sweeping_remove_only_what_they_name(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let account = counter("cccc0003", 2);
    let address = counter("dddd0004", 2);
    let both = [account.clone(), address.clone()];
    let first = store
        .count_attempt(&both, WINDOW, T0)
        .await
        .expect("count")
        .expect("first attempt goes ahead");
    store
        .count_attempt(&both, WINDOW, T0 + MINUTE)
        .await
        .expect("count")
        .expect("second attempt goes ahead");
    assert!(store
        .count_attempt(&both, WINDOW, T0 + 2 * MINUTE)
        .await
        .expect("count")
        .is_err());

    // The account's count is forgotten, and one of the address's attempts.
    store
        .forget_attempts(std::slice::from_ref(&account.key), &first[1..])
        .await
        .expect("forget");
    store
        .count_attempt(&both, WINDOW, T0 + 3 * MINUTE)
        .await
        .expect("count")
        .expect("one place is free on both counters");
    assert!(store
        .count_attempt(std::slice::from_ref(&address), WINDOW, T0 + 4 * MINUTE)
        .await
        .expect("count")
        .is_err());

    // Sweeping before T0 + 2 min removes the two oldest rows (the account's
    // were forgotten already, so only the address's second attempt).
    let removed = store
        .delete_old_attempts(T0 + 2 * MINUTE)
        .await
        .expect("sweep");
    assert_eq!(removed, 1);
    assert_eq!(
        store
            .delete_old_attempts(T0 + WINDOW + 10 * MINUTE)
            .await
            .expect("sweep"),
        2
    );
    test.finish().await;
}
on_both_backends!(forgetting_and_sweeping_remove_only_what_they_name);
