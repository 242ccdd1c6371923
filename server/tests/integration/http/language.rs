//! Which language a page is in: the saved choice, then the cookie, then the
//! browser's languages, then the desk's default; and choosing one.

use domain::person::Role;

use crate::common::{send, Db, HttpResponse, TestApp, Visitor, TEST_PASSWORD};

/// A page as a browser sends for it, with these extra headers.
async fn page(visitor: &Visitor, path: &str, extra: &[(&str, &str)]) -> HttpResponse {
    let mut headers = extra.to_vec();
    if let Some(cookie) = &visitor.cookie {
        headers.push(("Cookie", cookie.as_str()));
    }
    send(&visitor.host, "GET", path, &headers, b"")
        .await
        .expect("GET request")
}

fn lang_of(html: &str) -> &str {
    html.split_once("<html lang=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(lang, _)| lang)
}

fn anonymous_in_french(app: &TestApp) -> Visitor {
    Visitor {
        host: app.host.clone(),
        cookie: Some("frontline-lang=fr".to_owned()),
        person: None,
    }
}

/// What a page shows as text: the HTML without its tags, scripts and styles.
fn shown_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let tag = &rest[start..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|open| tag.starts_with(*open))
            .and_then(|open| tag.find(&format!("</{}>", &open[1..])))
            .unwrap_or(0);
        match tag[skip_to..].find('>') {
            Some(end) => rest = &tag[skip_to + end + 1..],
            None => return text,
        }
    }
    text.push_str(rest);
    text
}

/// Whether `text` has `phrase` as words of its own, not inside longer ones.
fn says(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A French page shows none of the catalogue's English sentences (those
/// that differ from their French), the language switch's "English" aside.
fn no_english_left(html: &str) {
    let text = shown_text(html).replace("English", "");
    for entry in words::catalogue() {
        if entry.en != entry.fr {
            assert!(
                !says(&text, entry.en),
                "{} is still in English on a French page:\n{text}",
                entry.key
            );
        }
    }
}

async fn languages_are_decided_and_kept(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let stranger = app.anonymous();

    // Nothing chosen: the browser's languages, by preference, else English.
    let html = page(&stranger, "/sign-in", &[]).await.text();
    assert_eq!(lang_of(&html), "en");
    assert!(html.contains("IT service desk"), "{html}");
    let french_browser = [("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")];
    let html = page(&stranger, "/sign-in", &french_browser).await.text();
    assert_eq!(lang_of(&html), "fr");
    assert!(html.contains("Centre de services informatiques"), "{html}");
    // The switch offers the other language in its own words.
    assert!(
        html.contains("lang=\"en\" class=\"link\">English<"),
        "{html}"
    );
    let html = page(
        &stranger,
        "/sign-in",
        &[("Accept-Language", "de, en;q=0.2")],
    )
    .await
    .text();
    assert_eq!(lang_of(&html), "en");

    // A choice made before signing in is a cookie, and beats the browser.
    let response = stranger
        .submit(
            "choose_language",
            &[("language", "fr")],
            "/sign-in?next=/report&__err=x",
        )
        .await;
    assert_eq!(response.status(), 302, "{}", response.text());
    assert_eq!(response.header("location"), Some("/sign-in?next=/report"));
    let cookie = response
        .headers_named("set-cookie")
        .find(|c| c.starts_with("frontline-lang="))
        .expect("a language cookie");
    assert!(cookie.starts_with("frontline-lang=fr;"), "{cookie}");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let chose = Visitor {
        host: app.host.clone(),
        cookie: Some("frontline-lang=fr".to_owned()),
        person: None,
    };
    let html = page(&chose, "/sign-in", &[("Accept-Language", "en")])
        .await
        .text();
    assert_eq!(lang_of(&html), "fr");

    // A language the desk does not speak is refused in the page's language.
    let response = stranger
        .call("choose_language", &[("language", "tlh")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response.text().contains("English and French"),
        "{}",
        response.text()
    );

    // Signed in, the choice is kept on the account: it follows the person to
    // a browser that asks for English and has no cookie.
    let ada = app
        .signed_in(Role::Reporter, "Ada Lovelace", "ada@example.org")
        .await;
    let html = page(&ada, "/account", &[("Accept-Language", "en")])
        .await
        .text();
    assert_eq!(lang_of(&html), "en");
    let response = ada
        .submit("choose_language", &[("language", "fr")], "/account")
        .await;
    assert_eq!(response.status(), 302, "{}", response.text());
    assert_eq!(response.header("location"), Some("/account"));
    let (_, elsewhere) = app.sign_in("ada@example.org", TEST_PASSWORD).await;
    let html = page(&elsewhere, "/account", &[("Accept-Language", "en")])
        .await
        .text();
    assert_eq!(lang_of(&html), "fr");
    assert!(html.contains("Votre compte"), "{html}");
    assert!(
        html.contains("<option value=\"fr\" lang=\"fr\" selected"),
        "{html}"
    );
    no_english_left(&html);
    let home = page(&elsewhere, "/", &[]).await.text();
    assert!(home.contains("Vos tickets"), "{home}");
    no_english_left(&home);
    // The topics page's own words; the topics themselves are the shipped
    // guides' titles, still in English ("Email" among them).
    let report = page(&elsewhere, "/report", &[]).await.text();
    assert!(report.contains("Passer les questions"), "{report}");
    assert!(report.contains("De quoi s’agit-il"), "{report}");
    let form = page(&elsewhere, "/report?form=1", &[]).await.text();
    assert!(form.contains("Décrivez le problème"), "{form}");
    no_english_left(&form);
    let french = anonymous_in_french(&app);
    no_english_left(&page(&french, "/sign-in", &[]).await.text());
    no_english_left(&page(&french, "/", &[]).await.text());
    let missing = page(&french, "/nowhere", &[]).await;
    assert_eq!(missing.status(), 404);
    assert!(
        missing.text().contains("Page introuvable"),
        "{}",
        missing.text()
    );
    no_english_left(&missing.text());
    // The saved choice beats a cookie left from before.
    let with_old_cookie = Visitor {
        host: app.host.clone(),
        cookie: elsewhere.cookie.map(|c| format!("{c}; frontline-lang=en")),
        person: None,
    };
    let html = page(&with_old_cookie, "/account", &[]).await.text();
    assert_eq!(lang_of(&html), "fr");

    app.stop().await;
}

crate::on_both_backends!(languages_are_decided_and_kept);

#[tokio::test]
async fn the_desk_s_default_applies_when_nothing_else_decides() {
    let Some(app) = TestApp::on_with(Db::Sqlite, |config| {
        config.default_language = words::Lang::Fr;
    })
    .await
    else {
        return;
    };
    let stranger = app.anonymous();
    assert_eq!(
        lang_of(&page(&stranger, "/sign-in", &[]).await.text()),
        "fr"
    );
    let html = page(&stranger, "/sign-in", &[("Accept-Language", "en-GB")])
        .await
        .text();
    assert_eq!(lang_of(&html), "en");
    app.stop().await;
}
