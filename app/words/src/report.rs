//! Reporting a problem: choosing a topic, the guide's steps and the form.
//! The guides' own questions and fixes are the guide set's words.

crate::sentences! {
    report_a_problem { en: "Report a problem", fr: "Signaler un problème" }
    what_about {
        en: "What is it about? A few questions may solve it straight away.",
        fr: "De quoi s’agit-il\u{a0}? Quelques questions suffiront peut-être à le résoudre tout de suite.",
    }
    skip_questions { en: "Skip the questions and describe it myself", fr: "Passer les questions et le décrire moi-même" }
    start_again { en: "Start again", fr: "Recommencer" }
    topic_gone { en: "That topic is gone.", fr: "Ce sujet n’existe plus." }
    questions_changed { en: "The questions have changed.", fr: "Les questions ont changé." }
    back { en: "← Back", fr: "← Retour" }
    progress { en: "Progress", fr: "Progression" }
    try_this { en: "Try this:", fr: "Essayez ceci\u{a0}:" }
    this_fixed_it { en: "This fixed it", fr: "C’est réglé" }
    still_broken { en: "Still broken", fr: "Toujours en panne" }
    continue_ { en: "Continue", fr: "Continuer" }
    glad_it_works { en: "Glad it works again", fr: "Tant mieux, ça remarche" }
    nothing_more {
        en: "Thanks for letting us know. Nothing more to do; no ticket was needed.",
        fr: "Merci de nous l’avoir dit. Rien d’autre à faire\u{a0}; aucun ticket n’a été nécessaire.",
    }
    back_to_my_tickets { en: "Back to my tickets", fr: "Retour à mes tickets" }
    your_answers { en: "Your answers (sent with the report)", fr: "Vos réponses (envoyées avec le signalement)" }
    do_this_now { en: "Do this now", fr: "Faites ceci tout de suite" }
    before_you_send { en: "Before you send", fr: "Avant d’envoyer" }
    report_security_problem { en: "Report a security problem", fr: "Signaler un problème de sécurité" }
    describe_the_problem { en: "Describe the problem", fr: "Décrivez le problème" }
    title_label { en: "In a few words, what is wrong?", fr: "En quelques mots, qu’est-ce qui ne va pas\u{a0}?" }
    description_label { en: "What happened? What were you doing?", fr: "Que s’est-il passé\u{a0}? Que faisiez-vous\u{a0}?" }
    symptoms_label { en: "Error messages or what you see", fr: "Messages d’erreur ou ce que vous voyez" }
    started_legend { en: "When did it start?", fr: "Quand cela a-t-il commencé\u{a0}?" }
    started_day { en: "Day", fr: "Jour" }
    started_time { en: "Time, if you know it", fr: "Heure, si vous la connaissez" }
    service_label { en: "Which service or device?", fr: "Quel service ou quel appareil\u{a0}?" }
    service_example { en: "e.g. VPN, laptop PC-0413", fr: "p.\u{a0}ex. VPN, portable PC-0413" }
    phone_label { en: "Phone number to reach you", fr: "Numéro de téléphone pour vous joindre" }
    who_is_affected { en: "Who is affected?", fr: "Qui est touché\u{a0}?" }
    how_much_stopped { en: "How much does it stop you?", fr: "À quel point cela vous bloque-t-il\u{a0}?" }
    impact_low { en: "Just me", fr: "Moi seulement" }
    impact_medium { en: "My team", fr: "Mon équipe" }
    impact_high { en: "The whole company", fr: "Toute l’entreprise" }
    urgency_low { en: "I can work around it", fr: "Je peux le contourner" }
    urgency_medium { en: "It slows me down", fr: "Cela me ralentit" }
    urgency_high { en: "I'm blocked", fr: "Je suis bloqué" }
    sending { en: "Sending…", fr: "Envoi…" }
    send_report { en: "Send report", fr: "Envoyer le signalement" }
    these_may_help { en: "These may help:", fr: "Ceci peut vous aider\u{a0}:" }
    no_resolution_note { en: "No resolution note.", fr: "Pas de note de résolution." }
    known_fix { en: "Known fix:", fr: "Solution connue\u{a0}:" }
}

/// "2 of about 5": how far into a guide's questions.
pub fn steps_done(lang: crate::Lang, done: usize, total: usize) -> String {
    match lang {
        crate::Lang::En => format!("{done} of about {total}"),
        crate::Lang::Fr => format!("{done} sur environ {total}"),
    }
}
