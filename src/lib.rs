//! offconv: point-of-sale exports in, Meta Conversions API offline events
//! out. The library holds every stage; `main.rs` only parses arguments.
//!
//! Stages, in pipeline order: [`source`] (inputs), [`config`] (the mapping
//! file), [`mapper`] (row → event, using [`normalize`], [`time`] and
//! [`money`]), [`pipeline`] (threads and batching), a sink ([`dryrun`] or
//! the uploader), and [`report`] / [`summary`].

pub mod account;
pub mod cli;
pub mod compressed;
pub mod config;
pub mod decode;
pub mod dryrun;
pub mod event;
#[doc(hidden)]
pub mod fuzzing;
pub mod growth;
pub mod init;
pub mod input_hash;
pub mod input_head;
pub mod io_context;
pub mod job;
pub mod ledger;
pub mod limits;
pub mod mapper;
pub mod mcp;
pub mod money;
pub mod normalize;
pub mod outcome;
pub mod pii_columns;
pub mod pipeline;
pub mod private_file;
pub mod progress;
pub mod records;
pub mod redact;
pub mod report;
pub mod resume;
pub mod same_file;
pub mod sandbox;
pub mod settings;
pub mod source;
pub mod stderr;
pub mod stop;
pub mod suggest;
pub mod summary;
pub mod time;
pub mod upload;
