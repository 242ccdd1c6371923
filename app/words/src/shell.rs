//! The frame around every page: the masthead, its menu and the language
//! switch.

crate::sentences! {
    tagline { en: "IT service desk", fr: "Centre de services informatiques" }
    main_menu { en: "Main", fr: "Menu principal" }
    tickets { en: "Tickets", fr: "Tickets" }
    my_tickets { en: "My tickets", fr: "Mes tickets" }
    report_a_problem { en: "Report a problem", fr: "Signaler un problème" }
    board { en: "Board", fr: "Tableau" }
    people { en: "People", fr: "Personnes" }
    guides { en: "Guides", fr: "Guides" }
    sign_out { en: "Sign out", fr: "Se déconnecter" }
    sign_in { en: "Sign in", fr: "Se connecter" }
    loading { en: "Loading…", fr: "Chargement…" }
    /// The language switch, for screen readers.
    language { en: "Language", fr: "Langue" }
    unknown_language {
        en: "Frontline speaks English and French; please choose one of them.",
        fr: "Frontline parle français et anglais\u{a0}: choisissez l’une de ces langues.",
    }
}
