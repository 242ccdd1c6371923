//! Which plural form a count takes, by the CLDR rules for integers.

use crate::Lang;

/// The forms our languages use for whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    /// French for a multiple of a million: "1 000 000 de tickets".
    Many,
    Other,
}

/// The plural form of `n` things in `lang`: English says "1 ticket" and "0
/// tickets"; French says "0 ticket" and "1 ticket", "2 tickets".
pub fn plural(lang: Lang, n: u64) -> Plural {
    match lang {
        Lang::En if n == 1 => Plural::One,
        Lang::En => Plural::Other,
        Lang::Fr if n <= 1 => Plural::One,
        Lang::Fr if n % 1_000_000 == 0 => Plural::Many,
        Lang::Fr => Plural::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cldr_cardinal_rules_for_whole_numbers() {
        assert_eq!(plural(Lang::En, 0), Plural::Other);
        assert_eq!(plural(Lang::En, 1), Plural::One);
        assert_eq!(plural(Lang::En, 2), Plural::Other);
        assert_eq!(plural(Lang::Fr, 0), Plural::One);
        assert_eq!(plural(Lang::Fr, 1), Plural::One);
        assert_eq!(plural(Lang::Fr, 2), Plural::Other);
        assert_eq!(plural(Lang::Fr, 1_000_000), Plural::Many);
        assert_eq!(plural(Lang::Fr, 2_000_001), Plural::Other);
    }
}
