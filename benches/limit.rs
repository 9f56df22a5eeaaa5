//! The limit of this machine for offconv's dry run: the least work a dry
//! run must do on an export, written as lean as we can. One thread reads
//! the CSV with one reused `ByteRecord` and copies the seven customer
//! fields of each row (email, phone, first and last name, city, state,
//! zip) into chunks; two threads lowercase each non-empty field (ASCII),
//! hash it with SHA-256 (one compression for values under 56 bytes, as
//! offconv does), write its hex, and bring what each chunk writes up to
//! the bytes offconv's payload dump and report take for those rows.
//! `benches/validate.sh` runs it beside offconv and prints the ratio.
//!
//! ```text
//! cargo bench --bench limit -- sales.csv --rows 1000000 --bytes 720000000 --out /tmp/limit
//! ```
//!
//! `--bytes` is the size of offconv's dump plus report for the same file
//! (validate.sh measures it); the output goes to `<out>.0` and `<out>.1`,
//! a file per worker. With `--report-bytes R` (the report's share of
//! `--bytes`) it goes where offconv's goes instead: `<out>.dump` and
//! `<out>.report`, one file each, both workers writing to both, as the
//! one dump file offconv writes must be written: ext4 holds a file's inode
//! lock for each buffered write, so the writers of one file take turns
//! where writers of a file each do not (BENCHMARKS.md, issue 18's tenth
//! round, measures both).
#![allow(clippy::disallowed_macros)] // a tool's own output (see clippy.toml)

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender, bounded};
use csv::ByteRecord;
use sha2::digest::generic_array::GenericArray;

const COLUMNS: [&str; 7] = [
    "email",
    "phone",
    "first_name",
    "last_name",
    "city",
    "state",
    "zip",
];
const CHUNK_ROWS: usize = 1024;
const WORKERS: usize = 2;

/// Rows `first..first + rows`: the fields back to back, `ends` marking
/// where each of a row's seven ends.
struct Chunk {
    first: u64,
    rows: usize,
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

struct Args {
    input: String,
    rows: u64,
    bytes: u64,
    /// The report's share of `bytes`: one dump file and one report file.
    report_bytes: Option<u64>,
    out: String,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut input = None;
    let (mut rows, mut bytes, mut report_bytes, mut out) = (None, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            // `cargo bench` passes it to every bench binary.
            "--bench" => {}
            "--rows" => rows = Some(value("--rows")?),
            "--bytes" => bytes = Some(value("--bytes")?),
            "--report-bytes" => report_bytes = Some(value("--report-bytes")?),
            "--out" => out = Some(value("--out")?),
            _ if !arg.starts_with("--") && input.is_none() => input = Some(arg),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let Some(input) = input else {
        return Ok(None);
    };
    let parse = |v: String, name: &str| v.parse::<u64>().map_err(|e| format!("{name}: {e}"));
    let number =
        |v: Option<String>, name: &str| parse(v.ok_or(format!("{name} is required"))?, name);
    let bytes = number(bytes, "--bytes")?;
    let report_bytes = report_bytes
        .map(|r| parse(r, "--report-bytes"))
        .transpose()?;
    if report_bytes.is_some_and(|r| r > bytes) {
        return Err("--report-bytes is more than --bytes".into());
    }
    Ok(Some(Args {
        input,
        rows: number(rows, "--rows")?.max(1),
        bytes,
        report_bytes,
        out: out.ok_or("--out is required")?,
    }))
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(Some(args)) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("limit: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(None) => {
            eprintln!("limit: no input given (benches/validate.sh runs it); nothing to do");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "limit: {e}\nusage: limit FILE.csv --rows N --bytes N [--report-bytes N] --out PATH"
            );
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    // The one-block shortcut checked against the crate's SHA-256 first.
    for len in 0..80 {
        use sha2::Digest;
        let data = vec![b'a'; len];
        let want: [u8; 32] = sha2::Sha256::digest(&data).into();
        assert_eq!(sha256(&data), want, "sha256 of {len} bytes");
    }
    let mut reader = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 16)
        .from_path(&args.input)?;
    let header = reader.byte_headers()?.clone();
    let cols: Vec<usize> = COLUMNS
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h == name.as_bytes())
                .ok_or_else(|| format!("{}: no column {name}", args.input))
        })
        .collect::<Result<_, _>>()?;

    let (chunk_tx, chunk_rx) = bounded::<Chunk>(2 * WORKERS);
    let (free_tx, free_rx) = bounded::<Chunk>(4 * WORKERS);
    let shared = match args.report_bytes {
        Some(report) => Some([
            (
                Arc::new(File::create(format!("{}.dump", args.out))?),
                args.bytes - report,
            ),
            (
                Arc::new(File::create(format!("{}.report", args.out))?),
                report,
            ),
        ]),
        None => None,
    };
    let workers: Vec<_> = (0..WORKERS)
        .map(|i| {
            let (rx, free) = (chunk_rx.clone(), free_tx.clone());
            let outs = match &shared {
                Some(files) => Ok(files.iter().map(|(f, n)| (Arc::clone(f), *n)).collect()),
                None => File::create(format!("{}.{i}", args.out))
                    .map(|f| vec![(Arc::new(f), args.bytes)]),
            };
            let rows = args.rows;
            outs.map(|outs| thread::spawn(move || work(rx, free, outs, rows)))
        })
        .collect::<Result<_, _>>()?;
    drop((chunk_rx, free_tx));

    let mut record = ByteRecord::new();
    let mut row = 0u64;
    let mut chunk = new_chunk(&free_rx, row);
    while reader.read_byte_record(&mut record)? {
        for &c in &cols {
            chunk
                .bytes
                .extend_from_slice(record.get(c).unwrap_or_default());
            chunk.ends.push(chunk.bytes.len() as u32);
        }
        chunk.rows += 1;
        row += 1;
        if chunk.rows == CHUNK_ROWS {
            chunk_tx.send(chunk)?;
            chunk = new_chunk(&free_rx, row);
        }
    }
    if chunk.rows > 0 {
        chunk_tx.send(chunk)?;
    }
    drop(chunk_tx);
    let mut hashes = 0;
    for w in workers {
        hashes += w.join().expect("worker")?;
    }
    eprintln!("limit: {row} rows, {hashes} values hashed");
    Ok(())
}

fn new_chunk(free: &Receiver<Chunk>, first: u64) -> Chunk {
    let mut chunk = free.try_recv().unwrap_or_else(|_| Chunk {
        first: 0,
        rows: 0,
        bytes: Vec::with_capacity(CHUNK_ROWS * 128),
        ends: Vec::with_capacity(CHUNK_ROWS * COLUMNS.len()),
    });
    chunk.first = first;
    chunk.rows = 0;
    chunk.bytes.clear();
    chunk.ends.clear();
    chunk
}

/// One worker: hashes its chunks into the first of `outs`, and brings each
/// output up to its share of the bytes (`(file, bytes for all rows)`);
/// returns the values hashed.
fn work(
    rx: Receiver<Chunk>,
    free: Sender<Chunk>,
    outs: Vec<(Arc<File>, u64)>,
    rows: u64,
) -> std::io::Result<u64> {
    let mut writers: Vec<_> = outs
        .iter()
        .map(|(file, bytes)| (BufWriter::with_capacity(1 << 20, &**file), *bytes))
        .collect();
    let mut hashes = 0;
    let mut hex = [0u8; 64];
    let mut lower = Vec::with_capacity(256);
    // The bytes an output takes for rows `0..n`.
    let share = |n: u64, bytes: u64| {
        (u128::from(n.min(rows)) * u128::from(bytes) / u128::from(rows)) as u64
    };
    for chunk in rx {
        let mut written = 0u64;
        let mut start = 0;
        for &end in &chunk.ends {
            let value = &chunk.bytes[start..end as usize];
            start = end as usize;
            if value.is_empty() {
                continue;
            }
            lower.clear();
            lower.extend(value.iter().map(u8::to_ascii_lowercase));
            let digest = sha256(&lower);
            const_hex::encode_to_slice(digest, &mut hex).expect("64 bytes");
            writers[0].0.write_all(&hex)?;
            written += 64;
            hashes += 1;
        }
        let end = chunk.first + chunk.rows as u64;
        for (out, bytes) in &mut writers {
            let want = share(end, *bytes) - share(chunk.first, *bytes);
            fill(out, want.saturating_sub(std::mem::take(&mut written)))?;
        }
        let _ = free.try_send(chunk);
    }
    for (mut out, _) in writers {
        out.flush()?;
    }
    Ok(hashes)
}

/// `n` filler bytes.
fn fill(out: &mut impl Write, mut n: u64) -> std::io::Result<()> {
    const FILLER: [u8; 4096] = [b' '; 4096];
    while n > 0 {
        let step = n.min(FILLER.len() as u64) as usize;
        out.write_all(&FILLER[..step])?;
        n -= step as u64;
    }
    Ok(())
}

/// SHA-256; a value under 56 bytes in one compression of one padded block.
fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    if data.len() >= 56 {
        return sha2::Sha256::digest(data).into();
    }
    let mut block = [0u8; 64];
    block[..data.len()].copy_from_slice(data);
    block[data.len()] = 0x80;
    block[56..].copy_from_slice(&(data.len() as u64 * 8).to_be_bytes());
    let mut state = [
        0x6a09e667u32,
        0xbb67ae85,
        0x3c6ef372,
        0xa54ff53a,
        0x510e527f,
        0x9b05688c,
        0x1f83d9ab,
        0x5be0cd19,
    ];
    sha2::compress256(&mut state, &[GenericArray::from(block)]);
    let mut digest = [0u8; 32];
    for (d, s) in digest.chunks_exact_mut(4).zip(state) {
        d.copy_from_slice(&s.to_be_bytes());
    }
    digest
}
