use app::domain::{person::Role, tier::Tier};

use crate::common::TestApp;

const L1: Role = Role::Agent {
    tier: Tier::L1,
    security_team: false,
};

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_its_data() {
    let app = TestApp::sqlite().await;
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;
    let response = desk
        .call(
            "log_incident",
            &[
                ("title", "Email is not syncing on phones"),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);

    let response = desk.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/html")));
    let html = response.text();
    assert!(html.contains("<html lang=\"en\""), "{html}");
    assert!(
        html.contains("<title>Service desk · Frontline</title>"),
        "{html}"
    );
    assert!(
        html.contains("<label for=\"incident-title\">What is broken?</label>"),
        "{html}"
    );
    // The list was read from the database while rendering, not fetched later.
    assert!(html.contains("INC-000001"), "{html}");
    assert!(html.contains("Email is not syncing on phones"), "{html}");
    // The page loads the browser bundle that hydrates it.
    assert!(html.contains("/pkg/frontline.js"), "{html}");
    assert!(html.contains("/pkg/frontline.css"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn incident_text_is_escaped_in_the_page() {
    let app = TestApp::sqlite().await;
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;
    let title = "<script>alert('pwned')</script><img src=x onerror=alert(1)>";
    assert_eq!(
        desk.call(
            "log_incident",
            &[
                ("title", title),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org")
            ]
        )
        .await
        .status(),
        200
    );

    let html = desk.get("/").await.text();
    assert!(!html.contains("<script>alert('pwned')"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_home() {
    let app = TestApp::sqlite().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text();
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains("href=\"/\""), "{html}");
    app.stop().await;
}
