//! Signing in.

use crate::{plural, Lang, Plural};

crate::sentences! {
    sign_in { en: "Sign in", fr: "Connexion" }
    email { en: "Email", fr: "E-mail" }
    password { en: "Password", fr: "Mot de passe" }
    submit { en: "Sign in", fr: "Se connecter" }
    signing_in { en: "Signing in…", fr: "Connexion…" }
    no_admin_yet { en: "Frontline has no administrator yet.", fr: "Frontline n’a pas encore d’administrateur." }
    set_it_up_first { en: "Set it up first.", fr: "Commencez par le configurer." }
    please_sign_in { en: "Please sign in", fr: "Veuillez vous connecter" }
    page_for_signed_in {
        en: "This page is for signed-in users.",
        fr: "Cette page est réservée aux personnes connectées.",
    }
    sign_in_to_continue { en: "Sign in to continue.", fr: "Connectez-vous pour continuer." }
    no_match {
        en: "That email and password do not match an account. Check both and try again.",
        fr: "Cet e-mail et ce mot de passe ne correspondent à aucun compte. Vérifiez-les et réessayez.",
    }
}

/// "Signed in as Ada Lovelace."
pub fn signed_in_as(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Signed in as {name}."),
        Lang::Fr => format!("Connecté en tant que {name}."),
    }
}

/// The lockout's sentence, with the minutes to wait.
pub fn too_many_attempts(lang: Lang, minutes: u64) -> String {
    match (lang, plural(lang, minutes)) {
        (Lang::En, Plural::One) => {
            format!("Too many sign-in attempts. Please wait {minutes} minute and try again.")
        }
        (Lang::En, _) => {
            format!("Too many sign-in attempts. Please wait {minutes} minutes and try again.")
        }
        (Lang::Fr, Plural::One) => {
            format!("Trop de tentatives de connexion. Attendez {minutes} minute et réessayez.")
        }
        (Lang::Fr, _) => {
            format!("Trop de tentatives de connexion. Attendez {minutes} minutes et réessayez.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_take_the_plural_of_each_language() {
        assert!(too_many_attempts(Lang::En, 1).contains("wait 1 minute and"));
        assert!(too_many_attempts(Lang::En, 15).contains("wait 15 minutes and"));
        assert!(too_many_attempts(Lang::Fr, 1).contains("Attendez 1 minute et"));
        assert!(too_many_attempts(Lang::Fr, 15).contains("Attendez 15 minutes et"));
    }
}
