//! The sign-in lockout over real HTTP on both backends: attempts are counted
//! before the password is checked, in the database, so neither sending them
//! all at once nor spreading them over two instances gets past the limit.

use domain::{person::Role, tier::Tier};
use futures::future::join_all;

use crate::{
    common::{send, Db, TestApp, TEST_PASSWORD},
    on_both_backends,
};

const L2: Role = Role::Agent {
    tier: Tier::L2,
    security_team: false,
};

/// One sign-in attempt on `host`, as from `forwarded_for` when given.
async fn attempt(host: &str, email: &str, password: &str, forwarded_for: Option<&str>) -> u16 {
    let origin = format!("http://{host}");
    let body = crate::common::form_encode(&[("email", email), ("password", password)]);
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", origin.as_str()),
    ];
    if let Some(address) = forwarded_for {
        headers.push(("X-Forwarded-For", address));
    }
    send(host, "POST", "/api/sign_in", &headers, body.as_bytes())
        .await
        .expect("sign-in request")
        .status()
}

fn tally(statuses: &[u16]) -> (usize, usize) {
    let wrong = statuses.iter().filter(|&&s| s == 422).count();
    let locked = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(wrong + locked, statuses.len(), "{statuses:?}");
    (wrong, locked)
}

async fn twenty_guesses_at_once_check_only_five(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;
    let guesses = (0..20).map(|i| {
        let host = app.host.clone();
        async move { attempt(&host, "lou@example.org", &format!("guess {i}"), None).await }
    });
    let statuses = join_all(guesses).await;
    assert_eq!(tally(&statuses), (5, 15), "{statuses:?}");
    // Locked now, even for the right password; the answer says how long.
    let locked = app.sign_in("lou@example.org", TEST_PASSWORD).await.0;
    assert_eq!(locked.status(), 429);
    let wait: u64 = locked
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((895..=900).contains(&wait), "Retry-After: {wait}");
    app.stop().await;
}
on_both_backends!(twenty_guesses_at_once_check_only_five);

async fn two_instances_share_one_count(db: Db) {
    let Some(first) = TestApp::on(db).await else {
        return;
    };
    let second = first.second_instance().await;
    first.account(L2, "Lou Two", "lou@example.org").await;
    // Ten at once, split over both instances: five are checked in all.
    let guesses = (0..10).map(|i| {
        let host = if i % 2 == 0 {
            first.host.clone()
        } else {
            second.host.clone()
        };
        async move { attempt(&host, "lou@example.org", "wrong guess", None).await }
    });
    let statuses = join_all(guesses).await;
    assert_eq!(tally(&statuses), (5, 5), "{statuses:?}");
    for app in [&first, &second] {
        assert_eq!(
            attempt(&app.host, "lou@example.org", TEST_PASSWORD, None).await,
            429
        );
    }
    second.stop().await;
    first.stop().await;
}
on_both_backends!(two_instances_share_one_count);

async fn the_right_password_clears_the_account_count(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;
    for _ in 0..4 {
        assert_eq!(
            attempt(&app.host, "lou@example.org", "wrong guess", None).await,
            422
        );
    }
    assert_eq!(
        attempt(&app.host, "lou@example.org", TEST_PASSWORD, None).await,
        200
    );
    // A fresh count: five more mistakes are checked, the sixth is not.
    for _ in 0..5 {
        assert_eq!(
            attempt(&app.host, "lou@example.org", "wrong guess", None).await,
            422
        );
    }
    assert_eq!(
        attempt(&app.host, "lou@example.org", TEST_PASSWORD, None).await,
        429
    );
    app.stop().await;
}
on_both_backends!(the_right_password_clears_the_account_count);

/// An address's limit counts failures: an office behind one address that
/// signs in all day is not locked out, while guessing from it still is.
async fn an_address_is_charged_only_for_failures(db: Db) {
    let Some(app) = TestApp::on_with(db, |config| {
        config.sessions.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await
    else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;
    let office = Some("198.51.100.20");
    for _ in 0..55 {
        assert_eq!(
            attempt(&app.host, "lou@example.org", TEST_PASSWORD, office).await,
            200
        );
    }
    let mut statuses = Vec::new();
    for i in 0..55 {
        let email = format!("stranger{i}@example.org");
        statuses.push(attempt(&app.host, &email, "wrong guess", office).await);
    }
    assert!(statuses[..50].iter().all(|&s| s == 422), "{statuses:?}");
    assert_eq!(tally(&statuses), (50, 5), "{statuses:?}");
    app.stop().await;
}
on_both_backends!(an_address_is_charged_only_for_failures);
