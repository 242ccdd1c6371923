//! The languages Frontline speaks and the sentences it says in them.
//!
//! Every sentence is a function of the reader's [`Lang`], written with
//! [`sentences!`]: a sentence missing a language does not compile, and the
//! browser's bundle carries only the sentences its islands call. The
//! catalogue of every fixed sentence ([`catalogue`]) lets tests compare a
//! French page with the English words.

pub mod account;
mod lang;
pub mod lifecycle;
mod plural;
pub mod portal;
pub mod report;
pub mod shell;
pub mod sign_in;
pub mod time;

pub use lang::Lang;
pub use plural::{plural, Plural};

/// One fixed sentence in every language, as the catalogue lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `module::name`, as the code calls it.
    pub key: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
}

impl Entry {
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Fr => self.fr,
        }
    }
}

/// Declares fixed sentences, each in English and French:
///
/// ```
/// words::sentences! {
///     /// The button that sends a report.
///     send_report { en: "Send report", fr: "Envoyer le signalement" }
/// }
/// assert_eq!(send_report(words::Lang::Fr), "Envoyer le signalement");
/// ```
///
/// Each becomes `pub fn name(Lang) -> &'static str`; the module also gets
/// `ENTRIES`, every sentence it declared, for [`catalogue`].
#[macro_export]
macro_rules! sentences {
    ($( $(#[$doc:meta])* $name:ident { en: $en:literal, fr: $fr:literal $(,)? } )*) => {
        $(
            $(#[$doc])*
            pub fn $name(lang: $crate::Lang) -> &'static str {
                match lang {
                    $crate::Lang::En => $en,
                    $crate::Lang::Fr => $fr,
                }
            }
        )*
        /// Every sentence of this module, for the catalogue.
        #[allow(dead_code)]
        pub const ENTRIES: &[$crate::Entry] = &[
            $( $crate::Entry { key: concat!(module_path!(), "::", stringify!($name)), en: $en, fr: $fr } ),*
        ];
    };
}

/// Every fixed sentence declared in this crate. Sentences with values in
/// them (counts, names, durations) are functions of their own and are
/// checked by their tests.
pub fn catalogue() -> Vec<Entry> {
    [
        shell::ENTRIES,
        account::ENTRIES,
        sign_in::ENTRIES,
        lifecycle::ENTRIES,
        portal::ENTRIES,
        report::ENTRIES,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_is_written_in_each_language() {
        for entry in catalogue() {
            for lang in Lang::ALL {
                let text = entry.text(lang);
                assert!(!text.trim().is_empty(), "{} is empty in {lang}", entry.key);
                assert_eq!(
                    text,
                    text.trim(),
                    "{} has spaces around it in {lang}",
                    entry.key
                );
            }
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = catalogue().iter().map(|e| e.key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }
}
