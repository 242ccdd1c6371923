//! A ticket's states and kinds, as its readers see them.

crate::sentences! {
    state_new { en: "new", fr: "nouveau" }
    state_assigned { en: "assigned", fr: "assigné" }
    state_in_progress { en: "in progress", fr: "en cours" }
    state_pending { en: "waiting on you", fr: "en attente de votre réponse" }
    state_resolved { en: "resolved", fr: "résolu" }
    state_closed { en: "closed", fr: "clos" }
    state_cancelled { en: "cancelled", fr: "annulé" }
    kind_incident { en: "an incident", fr: "un incident" }
    kind_service_request { en: "a service request", fr: "une demande de service" }
    kind_security_incident { en: "a security incident", fr: "un incident de sécurité" }
}
