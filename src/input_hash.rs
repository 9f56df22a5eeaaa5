//! What a resume checks the inputs against: a streaming SHA-256 of the raw
//! bytes each input gave (below decompression, stdin included), taken as
//! the run reads them and recorded in `<report>.job.json` beside the job's
//! identity.
//!
//! [`HashingRead`] reads its input a block ([`BLOCK`], 1 MiB) at a time and
//! hashes each block before handing out any of its bytes. It records the
//! hash of every whole-block prefix and, at the end, of the whole input.
//! On `--resume` the earlier run's record is the expectation: a block whose
//! prefix hash differs, or an input that ends sooner or later than the
//! earlier run saw it end, fails the read with an error naming the input,
//! before a row of that block reaches the mapper, so nothing that could not
//! be matched is sent. The record is saved after every block, so a run
//! killed at any point has recorded every byte it could have sent from.
//!
//! Cost: one copy and one SHA-256 pass over the raw bytes, and one small
//! file rewrite per MiB read.

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::resume::JobIdentity;

/// The bytes hashed as one step.
pub const BLOCK: usize = 1 << 20;

/// What a run read from one input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadHash {
    /// Bytes read (the whole input once `complete` is set).
    pub bytes: u64,
    /// SHA-256 of the first k × [`BLOCK`] bytes, k = 1, 2, …
    pub blocks: Vec<String>,
    /// SHA-256 of the whole input, once read to its end.
    pub complete: Option<String>,
}

/// `<report>.job.json`: the job's identity and what each input gave.
#[derive(Serialize, Deserialize)]
struct Record {
    #[serde(flatten)]
    identity: JobIdentity,
    #[serde(default)]
    read: Vec<Option<ReadHash>>,
}

/// The read hashes recorded beside a job's identity (one per input, in
/// order; `None` where nothing was recorded).
pub fn load(path: &std::path::Path) -> Vec<Option<ReadHash>> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Record>(&t).ok())
        .map(|r| r.read)
        .unwrap_or_default()
}

/// Every input's hash of one job, shared by the readers.
pub struct ReadHashes {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    names: Vec<String>,
    live: Vec<ReadHash>,
    expected: Vec<Option<ReadHash>>,
    save_to: Option<(PathBuf, JobIdentity)>,
}

impl ReadHashes {
    pub fn new() -> Arc<ReadHashes> {
        Arc::new(ReadHashes {
            state: Mutex::new(State::default()),
        })
    }

    /// Wraps the raw stream of input `name`.
    pub fn wrap(self: &Arc<Self>, name: &str, raw: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        let mut s = self.lock();
        s.names.push(name.to_owned());
        s.live.push(ReadHash::default());
        Box::new(HashingRead {
            inner: raw,
            buf: Vec::with_capacity(BLOCK),
            pos: 0,
            eof: false,
            failed: None,
            hasher: Sha256::new(),
            index: s.live.len() - 1,
            shared: Arc::clone(self),
        })
    }

    /// Sets what an earlier run read and checks what was read so far.
    /// From then on the record (identity and hashes) is saved to `path`
    /// after every block.
    pub fn expect(
        &self,
        expected: Vec<Option<ReadHash>>,
        path: PathBuf,
        identity: JobIdentity,
    ) -> Result<(), String> {
        let mut s = self.lock();
        s.expected = expected;
        s.save_to = Some((path, identity));
        for i in 0..s.live.len() {
            s.check(i)?;
        }
        s.save().map_err(|e| e.to_string())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    /// Why input `i` is not what the earlier run read, if it is not.
    fn check(&self, i: usize) -> Result<(), String> {
        let Some(Some(exp)) = self.expected.get(i) else {
            return Ok(());
        };
        let why = differs(&self.live[i], exp);
        match why {
            None => Ok(()),
            Some(why) => {
                let name = match self.names[i].as_str() {
                    "-" => "stdin (-)",
                    n => n,
                };
                Err(format!(
                    "{name} is not the input the earlier run read ({why}): cannot resume it; nothing from there on was sent. Run without --resume and with --force to start over, or give another --report"
                ))
            }
        }
    }

    /// Saves the identity and, per input, the longer of what this run and
    /// the earlier one read (they agree on the shorter: it was checked).
    fn save(&self) -> io::Result<()> {
        let Some((path, identity)) = &self.save_to else {
            return Ok(());
        };
        let read = self
            .live
            .iter()
            .enumerate()
            .map(|(i, live)| match self.expected.get(i) {
                Some(Some(e)) if live.complete.is_none() && e.bytes > live.bytes => Some(e.clone()),
                _ => Some(live.clone()),
            })
            .collect();
        let record = Record {
            identity: identity.clone(),
            read,
        };
        let tmp = crate::resume::with_suffix(path, ".tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(&record)? + "\n")
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| crate::io_context::name(e, "write the job record", path))
    }
}

/// How `live` departs from `exp`, in words, if it does.
fn differs(live: &ReadHash, exp: &ReadHash) -> Option<String> {
    let block = BLOCK as u64;
    if let Some(k) = live
        .blocks
        .iter()
        .zip(&exp.blocks)
        .position(|(a, b)| a != b)
    {
        let k = k as u64;
        return Some(format!(
            "its bytes {}..{} differ",
            k * block,
            (k + 1) * block
        ));
    }
    if exp.complete.is_some() && live.bytes > exp.bytes {
        return Some(format!(
            "it is longer than the {} bytes the earlier run read to its end",
            exp.bytes
        ));
    }
    if live.complete.is_some() && live.bytes < exp.bytes {
        return Some(format!(
            "it ends after {} bytes; the earlier run read {}",
            live.bytes, exp.bytes
        ));
    }
    match (&live.complete, &exp.complete) {
        (Some(a), Some(b)) if a != b => {
            Some(format!("its last {} bytes differ", live.bytes % block))
        }
        _ => None,
    }
}

/// A raw input stream hashed a block at a time, each block checked before
/// its bytes are handed on.
struct HashingRead {
    inner: Box<dyn Read + Send>,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Set once a block did not match: every later read fails the same way.
    failed: Option<String>,
    hasher: Sha256,
    index: usize,
    shared: Arc<ReadHashes>,
}

impl HashingRead {
    fn fill(&mut self) -> io::Result<()> {
        self.buf.clear();
        self.pos = 0;
        while self.buf.len() < BLOCK {
            let at = self.buf.len();
            self.buf.resize(BLOCK, 0);
            let n = match self.inner.read(&mut self.buf[at..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
                Err(e) => {
                    self.buf.truncate(at);
                    return Err(e);
                }
            };
            self.buf.truncate(at + n);
            if n == 0 {
                self.eof = true;
                break;
            }
        }
        self.hasher.update(&self.buf);
        let mut s = self.shared.lock();
        let live = &mut s.live[self.index];
        live.bytes += self.buf.len() as u64;
        let hex = || const_hex::encode(self.hasher.clone().finalize());
        if self.buf.len() == BLOCK {
            live.blocks.push(hex());
        }
        if self.eof {
            live.complete = Some(hex());
        }
        if let Err(why) = s.check(self.index) {
            self.buf.clear();
            self.failed = Some(why.clone());
            return Err(io::Error::new(io::ErrorKind::InvalidData, why));
        }
        s.save()
    }
}

impl Read for HashingRead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(why) = &self.failed {
            return Err(io::Error::new(io::ErrorKind::InvalidData, why.clone()));
        }
        if self.pos == self.buf.len() {
            if self.eof {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(hashes: &Arc<ReadHashes>, bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        hashes
            .wrap("in.csv", Box::new(io::Cursor::new(bytes)))
            .read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn a_change_in_the_middle_fails_before_its_block_is_handed_on() {
        let data: Vec<u8> = (0..3 * BLOCK + 17).map(|i| (i % 251) as u8).collect();
        let first = ReadHashes::new();
        assert_eq!(read_all(&first, data.clone()).unwrap(), data);
        let recorded = first.lock().live[0].clone();
        assert_eq!(recorded.blocks.len(), 3);
        assert!(recorded.complete.is_some());

        let dir = tempfile::tempdir().unwrap();
        let identity = JobIdentity::of(&[], "", "1", "t").unwrap();
        let again = ReadHashes::new();
        let mut r = again.wrap("in.csv", Box::new(io::Cursor::new(data.clone())));
        again
            .expect(
                vec![Some(recorded.clone())],
                dir.path().join("j"),
                identity.clone(),
            )
            .unwrap();
        let mut same = Vec::new();
        r.read_to_end(&mut same).unwrap();
        assert_eq!(same, data);

        let mut changed = data.clone();
        changed[BLOCK + 5] ^= 1;
        let other = ReadHashes::new();
        let mut r = other.wrap("in.csv", Box::new(io::Cursor::new(changed)));
        other
            .expect(vec![Some(recorded)], dir.path().join("j"), identity)
            .unwrap();
        let mut got = Vec::new();
        let err = r.read_to_end(&mut got).unwrap_err().to_string();
        assert_eq!(got.len(), BLOCK, "only the first, matching block");
        assert!(
            err.contains("in.csv") && err.contains("1048576..2097152"),
            "{err}"
        );
    }
}
