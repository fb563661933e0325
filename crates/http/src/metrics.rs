//! A small Prometheus registry: request counts and latencies per route. Kept per application
//! (not global), so several servers in one test process never share counters.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What one route answered: counts per (method, status), and its latencies.
#[derive(Default)]
struct RouteStats {
    answered: Vec<(String, u16, u64)>,
    durations: Histogram,
}

/// Counters and histograms of the HTTP edge.
#[derive(Default)]
pub struct Metrics {
    /// Per route; found without allocating once a route was seen (the hot path of every
    /// request).
    routes: Mutex<BTreeMap<String, RouteStats>>,
    /// Counters and gauges of background work (sweeps, notices): name → (help, type, value).
    background: Mutex<BTreeMap<&'static str, (&'static str, &'static str, f64)>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Records one request.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let stats = match routes.get_mut(route) {
            Some(s) => s,
            None => routes.entry(route.to_string()).or_default(),
        };
        match stats
            .answered
            .iter_mut()
            .find(|(m, s, _)| m == method && *s == status)
        {
            Some((_, _, n)) => *n += 1,
            None => stats.answered.push((method.to_string(), status, 1)),
        }
        let h = &mut stats.durations;
        h.count += 1;
        h.sum += seconds;
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                h.counts[i] += 1;
            }
        }
    }

    /// Adds `by` to a counter of background work.
    pub fn count(&self, name: &'static str, help: &'static str, by: u64) {
        let mut m = self.background.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(name).or_insert((help, "counter", 0.0)).2 += by as f64;
    }

    /// Sets a gauge of background work.
    pub fn gauge(&self, name: &'static str, help: &'static str, value: f64) {
        let mut m = self.background.lock().unwrap_or_else(|p| p.into_inner());
        m.insert(name, (help, "gauge", value));
    }

    /// The Prometheus text exposition of everything recorded, followed by `extra` lines.
    pub fn render(&self, extra: &[(&str, &str, String)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP custodian_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE custodian_http_requests_total counter\n");
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut answered: Vec<(&str, &str, u16, u64)> = routes
            .iter()
            .flat_map(|(route, s)| {
                s.answered
                    .iter()
                    .map(move |(m, status, n)| (m.as_str(), route.as_str(), *status, *n))
            })
            .collect();
        answered.sort();
        for (method, route, status, n) in answered {
            let _ = writeln!(
                out,
                "custodian_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP custodian_http_request_duration_seconds Time to answer HTTP requests.\n",
        );
        out.push_str("# TYPE custodian_http_request_duration_seconds histogram\n");
        for (route, s) in routes.iter() {
            let h = &s.durations;
            let route = escape(route);
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "custodian_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "custodian_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "custodian_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "custodian_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        drop(routes);
        for (name, (help, kind, value)) in self
            .background
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {value}");
        }
        for (name, help, line) in extra {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{line}");
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
