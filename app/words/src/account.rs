//! The account page: who you are, your language, your password.

crate::sentences! {
    your_account { en: "Your account", fr: "Votre compte" }
    name { en: "Name", fr: "Nom" }
    email { en: "Email", fr: "E-mail" }
    role { en: "Role", fr: "Rôle" }
    reporter { en: "Reporter", fr: "Demandeur" }
    administrator { en: "Administrator", fr: "Administrateur" }
    language_heading { en: "Language", fr: "Langue" }
    language_hint {
        en: "The desk speaks to you in this language on every device you sign in on.",
        fr: "Le centre de services vous parle dans cette langue sur chaque appareil où vous vous connectez.",
    }
    language_label { en: "Read the desk in", fr: "Lire le centre de services en" }
    save_language { en: "Save language", fr: "Enregistrer la langue" }
    change_password { en: "Change password", fr: "Changer de mot de passe" }
    change_password_hint {
        en: "Changing it signs you out on every other device.",
        fr: "Le changer vous déconnecte de tous vos autres appareils.",
    }
    current_password { en: "Current password", fr: "Mot de passe actuel" }
    new_password { en: "New password", fr: "Nouveau mot de passe" }
    password_changed { en: "Your password has been changed.", fr: "Votre mot de passe a été changé." }
}

/// "L2 agent", "agent N2, équipe sécurité": an agent's role in words.
pub fn agent_role(lang: crate::Lang, tier: &str, security_team: bool) -> String {
    use crate::Lang;
    // French names the support levels N1–N3 ("niveau"), English L1–L3.
    let french_tier = tier.replacen('L', "N", 1);
    match (lang, security_team) {
        (Lang::En, false) => format!("{tier} agent"),
        (Lang::En, true) => format!("{tier} agent, security team"),
        (Lang::Fr, false) => format!("Agent {french_tier}"),
        (Lang::Fr, true) => format!("Agent {french_tier}, équipe sécurité"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn agent_roles_read_naturally() {
        assert_eq!(agent_role(Lang::En, "L2", false), "L2 agent");
        assert_eq!(agent_role(Lang::En, "L3", true), "L3 agent, security team");
        assert_eq!(agent_role(Lang::Fr, "L1", false), "Agent N1");
        assert_eq!(
            agent_role(Lang::Fr, "L3", true),
            "Agent N3, équipe sécurité"
        );
    }
}
