//! Where the reporter is, written in the address: the guide, the answers
//! given so far, and whether the form or the "it works again" page is open.
//! Back, Forward and reload keep the answers, and each step is a plain link
//! that works before the page's script has loaded.

use domain::guide::Walk;

/// `/report?guide=vpn&answers=0.2&form=1`
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportAddress {
    pub guide: Option<String>,
    pub walk: Walk,
    /// The form, even where the guide would ask more (skipped, or "Still broken").
    pub form: bool,
    /// "This fixed it" was recorded.
    pub fixed: bool,
}

/// More answers than any guide has steps: an address past this is not ours.
const MAX_ANSWERS: usize = 64;

impl ReportAddress {
    /// Reads the query; anything unreadable starts the reporter over.
    pub fn read(guide: Option<&str>, answers: Option<&str>, form: bool, fixed: bool) -> Self {
        let guide = guide
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        let answers: Option<Vec<usize>> = match answers.map(str::trim) {
            None | Some("") => Some(Vec::new()),
            Some(list) => list.split('.').map(|a| a.parse().ok()).collect(),
        };
        match answers {
            Some(answers)
                if answers.len() <= MAX_ANSWERS && (guide.is_some() || answers.is_empty()) =>
            {
                Self {
                    guide,
                    walk: Walk { answers },
                    form,
                    fixed,
                }
            }
            _ => Self::default(),
        }
    }

    /// The first question of `guide`.
    pub fn start(guide: &str) -> Self {
        Self {
            guide: Some(guide.to_owned()),
            ..Self::default()
        }
    }

    /// The form without questions.
    pub fn skip() -> Self {
        Self {
            form: true,
            ..Self::default()
        }
    }

    pub fn answered(&self, choice: usize) -> Self {
        Self {
            walk: self.walk.answer(choice),
            form: false,
            fixed: false,
            ..self.clone()
        }
    }

    /// Where the server sends a plain form back to.
    #[cfg(any(feature = "ssr", test))]
    pub fn answered_all(&self, choices: &[usize]) -> Self {
        choices
            .iter()
            .fold(self.clone(), |at, &choice| at.answered(choice))
    }

    pub fn to_form(&self) -> Self {
        Self {
            form: true,
            fixed: false,
            ..self.clone()
        }
    }

    /// Where "This fixed it" leads; the server sends the browser there.
    #[cfg(any(feature = "ssr", test))]
    pub fn to_fixed(&self) -> Self {
        Self {
            form: false,
            fixed: true,
            ..self.clone()
        }
    }

    /// One step back: from the form to the question it came from, from a
    /// question to the one before, from the first to the list of topics.
    pub fn back(&self) -> Self {
        if self.form && self.guide.is_some() {
            return Self {
                form: false,
                ..self.clone()
            };
        }
        match &self.guide {
            Some(_) if !self.walk.answers.is_empty() => Self {
                walk: self.walk.back(),
                form: false,
                fixed: false,
                ..self.clone()
            },
            _ => Self::default(),
        }
    }

    pub fn href(&self) -> String {
        let mut query = Vec::new();
        if let Some(guide) = &self.guide {
            query.push(format!("guide={}", encode(guide)));
            if !self.walk.answers.is_empty() {
                let answers: Vec<String> = self.walk.answers.iter().map(usize::to_string).collect();
                query.push(format!("answers={}", answers.join(".")));
            }
        }
        if self.form {
            query.push("form=1".to_owned());
        }
        if self.fixed {
            query.push("fixed=1".to_owned());
        }
        if query.is_empty() {
            "/report".to_owned()
        } else {
            format!("/report?{}", query.join("&"))
        }
    }
}

/// Guide ids are short slugs; anything else is escaped byte by byte.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(href: &str) -> ReportAddress {
        let query = href.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let get = |key: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
        };
        ReportAddress::read(
            get("guide"),
            get("answers"),
            get("form").is_some(),
            get("fixed").is_some(),
        )
    }

    #[test]
    fn every_step_survives_its_own_address() {
        let start = ReportAddress::start("vpn");
        let steps = [
            ReportAddress::default(),
            ReportAddress::skip(),
            start.clone(),
            start.answered(2),
            start.answered(2).answered(0),
            start.answered(2).to_form(),
            start.answered(1).to_fixed(),
        ];
        for step in steps {
            assert_eq!(read(&step.href()), step, "{}", step.href());
        }
        assert_eq!(
            start.answered(2).answered(0).href(),
            "/report?guide=vpn&answers=2.0"
        );
        assert_eq!(start.answered_all(&[2, 0]), start.answered(2).answered(0));
    }

    #[test]
    fn back_retraces_the_steps() {
        let start = ReportAddress::start("vpn");
        let form = start.answered(2).answered(0).to_form();
        assert_eq!(form.back(), start.answered(2).answered(0));
        assert_eq!(form.back().back(), start.answered(2));
        assert_eq!(start.answered(2).back(), start);
        assert_eq!(start.back(), ReportAddress::default());
        assert_eq!(ReportAddress::skip().back(), ReportAddress::default());
    }

    #[test]
    fn an_unreadable_address_starts_over() {
        assert_eq!(
            read("/report?guide=vpn&answers=1.x"),
            ReportAddress::default()
        );
        assert_eq!(read("/report?answers=1"), ReportAddress::default());
        let long = vec!["1"; MAX_ANSWERS + 1].join(".");
        assert_eq!(
            read(&format!("/report?guide=vpn&answers={long}")),
            ReportAddress::default()
        );
        assert_eq!(read("/report?guide=&answers="), ReportAddress::default());
    }

    #[test]
    fn odd_guide_ids_are_escaped() {
        assert_eq!(
            ReportAddress::start("a b&c").href(),
            "/report?guide=a%20b%26c"
        );
    }
}
