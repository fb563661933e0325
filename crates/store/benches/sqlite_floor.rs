//! How fast can SQLite take record rows on this machine, before any of Custodian's work?
//!
//! `cargo bench -p custodian-store --bench sqlite_floor [-- ROWS]` writes ROWS (default
//! 500 000) rows of 600 bytes, 5 000 per transaction, with one prepared INSERT per row (WAL,
//! `synchronous = NORMAL`, 4 KiB pages), once per table layout, and prints rows per second.
//! It is the ceiling of the ingest pipeline (`custodian bench ingest`): the sealed pipeline
//! cannot store records faster than the database takes the rows. Subjects are drawn at random
//! over a tenth of the rows, as people recur in real traffic.
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark that fails may stop

use std::time::Instant;

use rusqlite::{Connection, params};

struct Layout {
    name: &'static str,
    schema: &'static str,
    /// Whether the subject index is partitioned by insertion (column `part`).
    partitioned: bool,
    /// Whether the writer checkpoints the WAL itself (SQLite's default).
    checkpoints: bool,
}

const COLUMNS: &str = "id BLOB NOT NULL, tenant_id BLOB NOT NULL, subject_id BLOB NOT NULL, \
    binding INTEGER NOT NULL, country TEXT, occurred_at_us INTEGER NOT NULL, \
    expires_at_us INTEGER, bucket INTEGER NOT NULL, part INTEGER NOT NULL, \
    wrapped_key BLOB NOT NULL, payload BLOB NOT NULL";

fn layouts() -> Vec<Layout> {
    let table = format!("CREATE TABLE records ({COLUMNS}) STRICT;");
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let all = leak(format!(
        "{table}
         CREATE UNIQUE INDEX records_id ON records(id);
         CREATE INDEX records_subject ON records(part, subject_id);
         CREATE INDEX records_tenant ON records(tenant_id, id);
         CREATE INDEX records_bucket ON records(bucket);"
    ));
    vec![
        Layout {
            name: "the table alone, no index",
            schema: leak(table.clone()),
            partitioned: true,
            checkpoints: true,
        },
        Layout {
            name: "+ subject index, partitioned by insertion",
            schema: leak(format!(
                "{table} CREATE INDEX records_subject ON records(part, subject_id);"
            )),
            partitioned: true,
            checkpoints: true,
        },
        Layout {
            name: "+ id, tenant-order and bucket indexes (Custodian's)",
            schema: all,
            partitioned: true,
            checkpoints: true,
        },
        Layout {
            name: "the same, without checkpoints in the writer",
            schema: all,
            partitioned: true,
            checkpoints: false,
        },
        Layout {
            name: "the same, subject index not partitioned",
            schema: leak(format!(
                "{table}
                 CREATE UNIQUE INDEX records_id ON records(id);
                 CREATE INDEX records_subject ON records(tenant_id, subject_id, id);
                 CREATE INDEX records_tenant ON records(tenant_id, id);
                 CREATE INDEX records_bucket ON records(bucket);"
            )),
            partitioned: false,
            checkpoints: true,
        },
    ]
}

fn random16() -> [u8; 16] {
    let mut b = [0u8; 16];
    rand::fill(&mut b[..]);
    b
}

fn run(layout: &Layout, rows: usize, dir: &std::path::Path) -> f64 {
    let path = dir.join(format!("{}.db", layout.name.len()));
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
    )
    .unwrap();
    if !layout.checkpoints {
        c.execute_batch("PRAGMA wal_autocheckpoint = 0;").unwrap();
    }
    c.execute_batch(layout.schema).unwrap();
    let tenant = random16();
    let subjects: Vec<[u8; 16]> = (0..(rows / 10).max(1)).map(|_| random16()).collect();
    let payload = [7u8; 480];
    let wrapped = [9u8; 114];
    let start = Instant::now();
    let mut seq: u64 = 0;
    let mut pick: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..rows.div_ceil(5_000) {
        let tx = c.unchecked_transaction().unwrap();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO records (id, tenant_id, subject_id, binding, country, occurred_at_us, \
                     expires_at_us, bucket, part, wrapped_key, payload) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .unwrap();
            for _ in 0..5_000 {
                seq += 1;
                // Time-ordered ids, as UUIDv7 are.
                let mut id = random16();
                id[..8].copy_from_slice(&seq.to_be_bytes());
                pick ^= pick << 13;
                pick ^= pick >> 7;
                pick ^= pick << 17;
                let subject = subjects[(pick % subjects.len() as u64) as usize];
                let part = if layout.partitioned { seq >> 16 } else { 0 };
                insert
                    .execute(params![
                        &id[..],
                        &tenant[..],
                        &subject[..],
                        (seq % 17) as i64,
                        "NL",
                        1_790_000_000_000_000_i64,
                        1_810_000_000_000_000_i64,
                        (seq % 3) as i64,
                        part as i64,
                        &wrapped[..],
                        &payload[..],
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let seconds = start.elapsed().as_secs_f64();
    drop(c);
    rows as f64 / seconds
}

fn main() {
    // `cargo bench` passes `--bench`; the first number given is the row count.
    let rows = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(500_000);
    let dir = tempfile::tempdir().unwrap();
    println!("sqlite_floor: {rows} rows of ~600 bytes, 5 000 per transaction");
    for layout in layouts() {
        let per_second = run(&layout, rows, dir.path());
        println!(
            "  {:<55} {:>9.0} rows/s  {:>5.1} µs/row",
            layout.name,
            per_second,
            1e6 / per_second
        );
    }
}
