//! Which language a person reads.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// A language of the desk. English is first: it is the fallback for a
/// browser that asks for neither.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 code, as `<html lang>` and the cookie carry it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name, as a switch offers it: a reader who does
    /// not read the current language still finds theirs.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// Reads a language tag: `fr`, `fr-CA`, `FR_fr` and `en-GB` all count;
    /// anything else is `None`.
    pub fn from_code(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The language a page is in, by the first that says anything: the
    /// person's saved choice, the choice kept in their browser's cookie,
    /// their browser's languages, then the desk's default.
    pub fn decide(
        saved: Option<Lang>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
        default: Lang,
    ) -> Lang {
        saved
            .or_else(|| cookie.and_then(Lang::from_code))
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or(default)
    }

    /// The language a browser's `Accept-Language` header prefers most
    /// among ours, by its q-values (ties keep the header's order); `None`
    /// when it asks for none of them.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, u32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_code) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), quality_per_mille);
            let Some(quality) = quality.filter(|q| *q > 0) else {
                continue;
            };
            if best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// `0.8` as 800; `None` for anything that is not a q-value.
fn quality_per_mille(text: &str) -> Option<u32> {
    let value: f32 = text.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u32)
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(s).ok_or(UnknownLang)
    }
}

/// A language the desk does not speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownLang;

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Frontline speaks English (en) and French (fr).")
    }
}

impl std::error::Error for UnknownLang {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tags_read_by_their_primary_language() {
        assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_code(" FR-ca "), Some(Lang::Fr));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code("french"), None);
        assert_eq!(Lang::from_code(""), None);
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse(), Ok(lang));
        }
    }

    #[test]
    fn the_browser_s_preference_wins_by_quality() {
        let pick = Lang::from_accept_language;
        assert_eq!(pick("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Fr));
        assert_eq!(pick("en-US,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(pick("de-DE,de;q=0.9,fr;q=0.5,en;q=0.3"), Some(Lang::Fr));
        assert_eq!(pick("en;q=0.2, fr;q=0.8"), Some(Lang::Fr));
        assert_eq!(pick("fr;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(pick("de, es"), None);
        assert_eq!(pick("*"), None);
        assert_eq!(pick(""), None);
        assert_eq!(pick("fr;q=banana, en;q=0.5"), Some(Lang::En));
    }

    #[test]
    fn the_saved_choice_then_the_cookie_then_the_browser_then_the_default() {
        let fr = Some(Lang::Fr);
        assert_eq!(Lang::decide(fr, Some("en"), Some("en"), Lang::En), Lang::Fr);
        assert_eq!(
            Lang::decide(None, Some("fr"), Some("en"), Lang::En),
            Lang::Fr
        );
        assert_eq!(
            Lang::decide(None, Some("klingon"), Some("fr-CA"), Lang::En),
            Lang::Fr
        );
        assert_eq!(Lang::decide(None, None, Some("de"), Lang::Fr), Lang::Fr);
        assert_eq!(Lang::decide(None, None, Some("en-GB"), Lang::Fr), Lang::En);
        assert_eq!(Lang::decide(None, None, None, Lang::Fr), Lang::Fr);
    }

    proptest! {
        #[test]
        fn any_header_is_read_without_panicking(header in ".{0,80}") {
            let _ = Lang::from_accept_language(&header);
        }

        #[test]
        fn a_single_language_is_found(lang in prop::sample::select(Lang::ALL.to_vec()), q in 1u32..=1000) {
            let header = format!("de;q=0.001, {}-XX;q={}", lang.code(), f64::from(q) / 1000.0);
            prop_assert_eq!(Lang::from_accept_language(&header), Some(lang));
        }
    }
}
