//! The self-service portal: the home page, a reporter's tickets, the
//! receipt of a report.

crate::sentences! {
    service_desk { en: "Service desk", fr: "Centre de services" }
    your_tickets { en: "Your tickets", fr: "Vos tickets" }
    report_a_problem { en: "Report a problem", fr: "Signaler un problème" }
    welcome { en: "Report a problem and follow it to the fix.", fr: "Signalez un problème et suivez-le jusqu’à sa résolution." }
    sign_in_to_start { en: "Sign in to start.", fr: "Connectez-vous pour commencer." }
    new_installation { en: "New installation:", fr: "Nouvelle installation\u{a0}:" }
    create_first_admin { en: "create the first administrator", fr: "créez le premier administrateur" }
    my_tickets { en: "My tickets", fr: "Mes tickets" }
    nothing_reported { en: "You have not reported anything yet.", fr: "Vous n’avez encore rien signalé." }
    open { en: "Open", fr: "En cours" }
    closed { en: "Closed", fr: "Terminés" }
    ticket { en: "Ticket", fr: "Ticket" }
    title { en: "Title", fr: "Titre" }
    state { en: "State", fr: "État" }
    priority { en: "Priority", fr: "Priorité" }
    updated { en: "Updated", fr: "Mis à jour" }
    page_not_found { en: "Page not found", fr: "Page introuvable" }
    nothing_here { en: "There is nothing at this address.", fr: "Il n’y a rien à cette adresse." }
    go_home { en: "Go to the service desk home page.", fr: "Aller à l’accueil du centre de services." }
    logged { en: "Thank you, it is logged", fr: "Merci, c’est enregistré" }
    follow_your_ticket { en: "Follow your ticket", fr: "Suivre votre ticket" }
    meanwhile { en: "Meanwhile", fr: "En attendant" }
    meanwhile_now { en: "Meanwhile, do this now", fr: "En attendant, faites ceci tout de suite" }
    /// Before the reference in bold: "Your reference is INC-000042."
    your_reference_is { en: "Your reference is", fr: "Votre référence est" }
    /// Before the wait in bold: "Expect a first response within 15 minutes."
    expect_first_response { en: "Expect a first response", fr: "Attendez-vous à une première réponse" }
}
