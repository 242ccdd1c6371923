//! What the run measured: latencies, losses, duplicates, memory, and the
//! verdict against the targets.

use super::*;

pub(crate) struct Report {
    pub(crate) boards: usize,
    pub(crate) changes: usize,
    /// Deliveries of the changes made here.
    pub(crate) deliveries: usize,
    /// Events from elsewhere (the server's own jobs), per all boards.
    pub(crate) other_events: usize,
    /// Received − the change's server timestamp (taken just before commit).
    pub(crate) from_commit_us: Vec<i64>,
    /// Received − the moment the change request was sent.
    pub(crate) from_send_us: Vec<i64>,
    /// The change request alone: sent → answered.
    pub(crate) request_us: Vec<i64>,
    /// Fan-out latencies by the second of the run the change was made in:
    /// shows whether the tail is spread out or comes in bursts.
    pub(crate) by_second: Vec<Vec<i64>>,
    pub(crate) lost: usize,
    pub(crate) boards_losing: usize,
    /// Changes at least one board missed, and those every board missed.
    pub(crate) changes_missed: usize,
    pub(crate) changes_missed_by_all: usize,
    pub(crate) duplicates: usize,
    pub(crate) out_of_order: usize,
    pub(crate) unreadable: u64,
    pub(crate) ended: Vec<String>,
}

impl Report {
    pub(crate) fn new(made: &[Made], logs: &[BoardLog]) -> Self {
        let by_key: HashMap<(i64, i64), &Made> = made
            .iter()
            .map(|m| ((m.incident_id, m.version), m))
            .collect();
        let mut report = Report {
            boards: logs.len(),
            changes: made.len(),
            deliveries: 0,
            other_events: 0,
            from_commit_us: Vec::with_capacity(made.len() * logs.len()),
            from_send_us: Vec::with_capacity(made.len() * logs.len()),
            request_us: made.iter().map(|m| m.answered_us - m.sent_us).collect(),
            by_second: Vec::new(),
            lost: 0,
            boards_losing: 0,
            changes_missed: 0,
            changes_missed_by_all: 0,
            duplicates: 0,
            out_of_order: 0,
            unreadable: 0,
            ended: Vec::new(),
        };
        let first_sent_us = made.iter().map(|m| m.sent_us).min().unwrap_or(0);
        let mut misses: HashMap<(i64, i64), usize> = HashMap::new();
        for log in logs {
            let mut seen_ids = HashSet::new();
            let mut received = HashSet::new();
            let mut last_id = i64::MIN;
            for delivery in &log.deliveries {
                if !seen_ids.insert(delivery.event_id) {
                    report.duplicates += 1;
                    continue;
                }
                if delivery.event_id <= last_id {
                    report.out_of_order += 1;
                }
                last_id = last_id.max(delivery.event_id);
                let key = (delivery.incident_id, delivery.version);
                match by_key.get(&key) {
                    Some(change) => {
                        received.insert(key);
                        report.deliveries += 1;
                        let latency = delivery.received_us - delivery.at_ms * 1000;
                        report.from_commit_us.push(latency);
                        let second = ((change.sent_us - first_sent_us) / 1_000_000) as usize;
                        if report.by_second.len() <= second {
                            report.by_second.resize_with(second + 1, Vec::new);
                        }
                        report.by_second[second].push(latency);
                        report
                            .from_send_us
                            .push(delivery.received_us - change.sent_us);
                    }
                    None => report.other_events += 1,
                }
            }
            let lost = made.len() - received.len();
            for key in by_key.keys().filter(|key| !received.contains(key)) {
                *misses.entry(*key).or_default() += 1;
            }
            report.lost += lost;
            report.boards_losing += usize::from(lost > 0);
            report.unreadable += log.unreadable;
            if let Some(why) = &log.ended {
                report.ended.push(why.clone());
            }
        }
        report.changes_missed = misses.len();
        report.changes_missed_by_all = misses.values().filter(|n| **n == logs.len()).count();
        report.from_commit_us.sort_unstable();
        report.from_send_us.sort_unstable();
        report.request_us.sort_unstable();
        for second in &mut report.by_second {
            second.sort_unstable();
        }
        report
    }
}

pub(crate) struct Memory {
    pub(crate) idle_rss_kb: u64,
    pub(crate) connected_rss_kb: u64,
    pub(crate) end_rss_kb: u64,
    pub(crate) peak_rss_kb: u64,
    pub(crate) hwm_kb: u64,
}

pub(crate) fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
pub(crate) fn percentile_ms(sorted_us: &[i64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    sorted_us[rank - 1] as f64 / 1000.0
}

pub(crate) fn spread(sorted_us: &[i64]) -> String {
    format!(
        "p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        percentile_ms(sorted_us, 0.50),
        percentile_ms(sorted_us, 0.99),
        percentile_ms(sorted_us, 1.0)
    )
}

pub(crate) fn print_report(
    options: &Options,
    report: &Report,
    failures: &[String],
    memory: &Memory,
    cpu: Option<(f64, f64)>,
    changing: Duration,
) {
    let seconds = changing.as_secs_f64();
    println!();
    println!(
        "changes: {} accepted, {} refused, in {seconds:.1} s ({:.1}/s)",
        report.changes,
        failures.len(),
        report.changes as f64 / seconds
    );
    if let Some(first) = failures.first() {
        println!("  first refusal: {first}");
    }
    println!(
        "  change request (sent -> answered): {}",
        spread(&report.request_us)
    );
    println!(
        "deliveries: {} of {} expected ({} boards x {} changes); {} other events",
        report.deliveries,
        report.boards * report.changes,
        report.boards,
        report.changes,
        report.other_events
    );
    println!(
        "  fan-out (committed -> received):   {}",
        spread(&report.from_commit_us)
    );
    println!(
        "  end to end (request sent -> received): {}",
        spread(&report.from_send_us)
    );
    let mut seconds_p99: Vec<(usize, f64)> = report
        .by_second
        .iter()
        .enumerate()
        .filter(|(_, latencies)| !latencies.is_empty())
        .map(|(second, latencies)| (second, percentile_ms(latencies, 0.99)))
        .collect();
    seconds_p99.sort_by(|a, b| b.1.total_cmp(&a.1));
    if let Some((worst, worst_p99)) = seconds_p99.first() {
        println!(
            "  fan-out p99 by second of the run: worst {worst_p99:.1} ms (second {worst}), \
             median second {:.1} ms",
            seconds_p99[seconds_p99.len() / 2].1
        );
    }
    println!(
        "  lost {} (on {} boards)  duplicates {}  out of order {}  unreadable {}",
        report.lost,
        report.boards_losing,
        report.duplicates,
        report.out_of_order,
        report.unreadable
    );
    if report.lost > 0 {
        println!(
            "  {} changes never reached some board; {} reached none",
            report.changes_missed, report.changes_missed_by_all
        );
    }
    if !report.ended.is_empty() {
        println!(
            "  {} streams ended early; first: {}",
            report.ended.len(),
            report.ended[0]
        );
    }
    println!(
        "server memory: RSS {:.1} MB idle, {:.1} MB with boards, {:.1} MB at the end; \
         sampled peak {:.1} MB; high-water mark {:.1} MB",
        mb(memory.idle_rss_kb),
        mb(memory.connected_rss_kb),
        mb(memory.end_rss_kb),
        mb(memory.peak_rss_kb),
        mb(memory.hwm_kb)
    );
    if let Some((server_s, loadgen_s)) = cpu {
        println!(
            "cpu while changing: server {:.0} %, loadgen {:.0} % (100 % = one core)",
            server_s / seconds * 100.0,
            loadgen_s / seconds * 100.0
        );
    }
    let p99 = percentile_ms(&report.from_commit_us, 0.99);
    let peak_mb = mb(memory.peak_rss_kb.max(memory.hwm_kb));
    println!(
        "targets: p99 < 100 ms {}; RSS < 200 MB {}; lost = 0 {}",
        verdict(p99 < 100.0),
        verdict(peak_mb < 200.0),
        verdict(report.lost == 0)
    );
    println!(
        "boards={} changes_per_s={} seconds={} changes={} deliveries={} p50_ms={:.1} p99_ms={:.1} \
         max_ms={:.1} lost={} duplicates={} out_of_order={} rss_mb={:.1} peak_rss_mb={:.1}",
        options.boards,
        options.rate,
        options.seconds,
        report.changes,
        report.deliveries,
        percentile_ms(&report.from_commit_us, 0.50),
        p99,
        percentile_ms(&report.from_commit_us, 1.0),
        report.lost,
        report.duplicates,
        report.out_of_order,
        mb(memory.end_rss_kb),
        peak_mb
    );
}

pub(crate) fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_split_anywhere_are_joined() {
        let raw = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        for split in 0..raw.len() {
            let mut chunks = Dechunker::default();
            let mut out = Vec::new();
            chunks.feed(&raw[..split], &mut out);
            chunks.feed(&raw[split..], &mut out);
            assert_eq!(out, b"hello world", "split at {split}");
            assert!(chunks.done());
        }
    }

    #[test]
    fn change_events_are_read_and_comments_skipped() {
        let mut text = b": keep-alive\n\nevent: change\ndata: {\"id\":7,\"incident_id\":3,\"version\":4,\"at_ms\":1000,\"card\":{}}\nid: 7\n\nevent: cha".to_vec();
        let mut log = BoardLog::default();
        read_events(&mut text, 1_005_000, &mut log);
        assert_eq!(log.deliveries.len(), 1);
        let d = log.deliveries[0];
        assert_eq!(
            (d.event_id, d.incident_id, d.version, d.at_ms),
            (7, 3, 4, 1000)
        );
        assert_eq!(text, b"event: cha");
    }
}
