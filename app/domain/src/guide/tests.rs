use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

/// A small valid guide: is the VPN connected? → fix, or → who is affected → report.
fn sample() -> String {
    r#"{
      "format": 1,
      "guides": [{
        "id": "network", "title": "Network or VPN", "hint": "No internet",
        "category": "Network",
        "start": "which",
        "nodes": {
          "which": {"type": "question", "text": "What is not working?", "answers": [
            {"label": "The VPN", "next": "restart", "category": "Network › VPN"},
            {"label": "Everything", "next": "who", "urgency": "high"}
          ]},
          "restart": {"type": "fix", "title": "Restart the VPN client", "steps": ["Quit it.", "Open it again."]},
          "who": {"type": "question", "text": "Who is affected?", "answers": [
            {"label": "Just me", "next": "report", "impact": "low"},
            {"label": "The whole office", "next": "report", "impact": "high"}
          ]},
          "report": {"type": "report"}
        }
      }]
    }"#
    .to_owned()
}

fn set() -> GuideSet {
    parse(&sample()).expect("the sample is valid")
}

fn problems(document: &str) -> Vec<String> {
    match parse(document) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_shipped_default_set_is_valid_and_covers_the_usual_problems() {
    let set = parse(super::DEFAULT_GUIDES)
        .unwrap_or_else(|e| panic!("default guides are invalid: {e:?}"));
    let ids: Vec<&str> = set.guides.iter().map(|g| g.id.as_str()).collect();
    for needed in [
        "network",
        "email",
        "account",
        "printer",
        "application",
        "hardware",
        "security",
    ] {
        assert!(ids.contains(&needed), "{needed} is missing from {ids:?}");
    }
    let security = set
        .guides
        .iter()
        .find(|g| g.id == "security")
        .expect("listed above");
    assert_eq!(security.kind, Kind::SecurityIncident);
    assert!(matches!(
        security.nodes.get(&security.start),
        Some(Node::Report { advice }) if !advice.is_empty()
    ));
}

#[test]
fn unknown_step_is_named_with_its_answer() {
    let doc = sample().replace(r#""next": "restart""#, r#""next": "restrat""#);
    assert_eq!(
        problems(&doc),
        [
            "Guide \"network\", step \"which\": the answer \"The VPN\" leads to \"restrat\", which is not one of its steps.",
            "Guide \"network\", step \"restart\" is never reached from the start.",
        ]
    );
}

#[test]
fn unknown_start_is_refused() {
    let doc = sample().replace(r#""start": "which""#, r#""start": "begin""#);
    assert_eq!(
        problems(&doc),
        ["Guide \"network\" starts at \"begin\", which is not one of its steps."]
    );
}

#[test]
fn a_cycle_is_shown_as_its_path() {
    let doc = sample().replace(
        r#"{"label": "Just me", "next": "report", "impact": "low"}"#,
        r#"{"label": "Just me", "next": "which", "impact": "low"}"#,
    );
    assert_eq!(
        problems(&doc),
        ["Guide \"network\" goes round in a circle: which → who → which."]
    );
}

#[test]
fn a_cycle_does_not_hide_other_problems() {
    let doc = sample()
        .replace(
            r#"{"label": "Just me", "next": "report", "impact": "low"}"#,
            r#"{"label": "Just me", "next": "which", "impact": "low"}"#,
        )
        .replace(
            r#"{"label": "The whole office", "next": "report", "impact": "high"}"#,
            r#"{"label": "The whole office", "next": "who", "impact": "high"}"#,
        );
    assert_eq!(
        problems(&doc),
        [
            "Guide \"network\" goes round in a circle: which → who → which.",
            "Guide \"network\", step \"report\" is never reached from the start.",
        ]
    );
}

#[test]
fn a_question_without_answers_is_a_dead_end() {
    let mut set = set();
    if let Some(Node::Question { answers, .. }) = set.guides[0].nodes.get_mut("who") {
        answers.clear();
    }
    let found: Vec<String> = validate(&set).iter().map(ToString::to_string).collect();
    assert!(found.contains(&"Guide \"network\", step \"who\": a question needs at least one answer, or the reporter is stuck there.".to_owned()), "{found:?}");
}

#[test]
fn format_errors_are_clear() {
    assert_eq!(
        problems(r#"{"format": 2, "guides": []}"#),
        ["The file is in format 2, but this version of Frontline reads format 1."]
    );
    assert_eq!(
        problems(r#"{"format": 1, "guides": []}"#),
        ["The file holds no guides."]
    );
    assert!(problems("not json")[0].starts_with("The file is not a guide document:"));
    assert!(problems(r#"{"guides": []}"#)[0].contains("\"format\" field is missing"));
    let big = " ".repeat(DOCUMENT_MAX_BYTES + 1);
    assert!(problems(&big)[0].contains("limited to 512 KiB"));
}

#[test]
fn duplicate_ids_bad_ids_and_empty_text_are_reported_together() {
    let mut set = set();
    let mut twin = set.guides[0].clone();
    twin.title = " ".to_owned();
    set.guides.push(twin);
    let mut bad = set.guides[0].clone();
    bad.id = "Network!".to_owned();
    set.guides.push(bad);
    let found: Vec<String> = validate(&set).iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "Two guides have the id \"network\".",
            "Guide \"network\", its heading: the title is empty.",
            "Guide id \"Network!\" must be 1–40 lowercase letters, digits or dashes.",
        ]
    );
}

#[test]
fn a_security_guide_must_skip_the_questions() {
    let mut set = set();
    set.guides[0].kind = Kind::SecurityIncident;
    assert_eq!(
        validate(&set),
        [GuideError::SecurityGuideAsksQuestions("network".to_owned())]
    );
}

#[test]
fn export_reads_back_the_same() {
    let set = set();
    let text = serde_json::to_string_pretty(&set).expect("serialisable");
    assert_eq!(parse(&text), Ok(set));
}

#[test]
fn a_walk_gives_diagnosis_category_and_suggestion() {
    let set = set();
    let guide = &set.guides[0];
    let walk = Walk::default().answer(1).answer(1);
    let replayed = walk.replay(guide).expect("valid answers");
    assert!(matches!(replayed.current, Node::Report { .. }));
    assert_eq!(
        replayed.diagnosis(),
        [
            DiagnosisStep {
                question: "What is not working?".to_owned(),
                answer: "Everything".to_owned()
            },
            DiagnosisStep {
                question: "Who is affected?".to_owned(),
                answer: "The whole office".to_owned()
            },
        ]
    );
    assert_eq!(replayed.suggested(), (Impact::High, Urgency::High));
    assert_eq!(replayed.category(guide), Some("Network"));
    assert_eq!(replayed.path(), ["which", "who", "report"]);
    assert_eq!(replayed.progress(guide), (2, 0));

    let vpn = Walk::default().answer(0).replay(guide).expect("valid");
    assert!(matches!(vpn.current, Node::Fix { .. }));
    assert_eq!(vpn.category(guide), Some("Network › VPN"));
    assert_eq!(vpn.suggested(), (DEFAULT_IMPACT, DEFAULT_URGENCY));

    let start = Walk::default().replay(guide).expect("valid");
    assert_eq!(start.progress(guide), (0, 2));
    assert_eq!(walk.back().back().back(), Walk::default());
}

#[test]
fn a_stale_walk_is_refused_not_guessed() {
    let set = set();
    let guide = &set.guides[0];
    assert_eq!(
        Walk::default().answer(5).replay(guide),
        Err(WalkError::UnknownAnswer)
    );
    // Answering past a leaf.
    assert_eq!(
        Walk::default().answer(0).answer(0).replay(guide),
        Err(WalkError::UnknownAnswer)
    );
}

#[test]
fn known_fixes_match_words_not_fragments() {
    let set = set();
    let fixes = known_fixes(&set, "my VPN client keeps dropping", 3);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, "Restart the VPN client");
    assert_eq!(
        known_fixes(&set, "VPN down", 3).len(),
        1,
        "three-letter names count"
    );
    assert!(known_fixes(&set, "a b c", 3).is_empty());
    assert!(known_fixes(&set, "printer jam", 3).is_empty());
    assert!(known_fixes(&set, "it does not work for the team", 3).is_empty());
}

#[test]
fn plain_words_cover_every_level() {
    for impact in Impact::ALL {
        assert!(!impact_words(impact).is_empty());
    }
    assert_eq!(impact_words(Impact::High), "The whole company");
    assert_eq!(urgency_words(Urgency::High), "I'm blocked");
    assert_eq!(urgency_words(Urgency::Low), "I can work around it");
}

fn level() -> impl Strategy<Value = Option<u8>> {
    proptest::option::of(0u8..3)
}

fn impact_of(n: u8) -> Impact {
    [Impact::Low, Impact::Medium, Impact::High][usize::from(n)]
}

fn urgency_of(n: u8) -> Urgency {
    [Urgency::Low, Urgency::Medium, Urgency::High][usize::from(n)]
}

proptest! {
    /// The suggestion is the last answer that said anything, per axis.
    #[test]
    fn the_last_answer_that_speaks_wins(levels in proptest::collection::vec((level(), level()), 0..8)) {
        let answers: Vec<Answer> = levels
            .iter()
            .map(|(i, u)| Answer {
                label: "x".into(),
                next: "y".into(),
                impact: i.map(impact_of),
                urgency: u.map(urgency_of),
                category: None,
            })
            .collect();
        let (impact, urgency) = suggest(&answers);
        let last_impact = levels.iter().rev().find_map(|(i, _)| *i).map(impact_of);
        let last_urgency = levels.iter().rev().find_map(|(_, u)| *u).map(urgency_of);
        prop_assert_eq!(impact, last_impact.unwrap_or(DEFAULT_IMPACT));
        prop_assert_eq!(urgency, last_urgency.unwrap_or(DEFAULT_URGENCY));
    }

    /// Random wiring of a chain of questions: validation accepts it exactly
    /// when every answer points forward (no cycle) and to a real step.
    #[test]
    fn wiring_is_accepted_only_when_acyclic_and_known(targets in proptest::collection::vec(0usize..6, 1..6)) {
        // Steps q0..q{n-1}, then "end"; q_i's only answer goes to targets[i]
        // (n or more means "end", so the last node id index is n).
        let n = targets.len();
        let mut nodes = BTreeMap::new();
        for (i, t) in targets.iter().enumerate() {
            let next = if *t >= n { "end".to_owned() } else { format!("q{t}") };
            nodes.insert(format!("q{i}"), Node::Question {
                text: "?".into(),
                help: None,
                answers: vec![Answer { label: "a".into(), next, impact: None, urgency: None, category: None }],
            });
        }
        nodes.insert("end".into(), Node::Report { advice: vec![] });
        let guide = Guide {
            id: "g".into(), title: "G".into(), hint: String::new(), category: None,
            kind: Kind::Incident, start: "q0".into(), nodes,
        };
        let found = validate(&GuideSet { format: FORMAT, guides: vec![guide.clone()] });
        // Follow the chain from q0: it either reaches "end" or loops.
        let mut at = 0usize;
        let mut seen = BTreeSet::new();
        let mut loops = false;
        while at < n {
            if !seen.insert(at) { loops = true; break; }
            at = targets[at];
        }
        let has_cycle = found.iter().any(|p| matches!(p, GuideError::Cycle { .. }));
        prop_assert_eq!(has_cycle, loops);
        if !loops {
            // Everything not on the chain is reported unreachable, nothing else.
            let unreachable = found.iter().filter(|p| matches!(p, GuideError::Unreachable { .. })).count();
            prop_assert_eq!(unreachable, found.len());
            prop_assert_eq!(unreachable, n + 1 - seen.len() - 1);
            // And a walk along it ends on the report.
            let walk = Walk { answers: vec![0; seen.len()] };
            let replayed = walk.replay(&guide).expect("valid chain");
            let ends_on_report = matches!(replayed.current, Node::Report { .. });
            prop_assert!(ends_on_report);
        }
    }
}
