//! The ledger around `send_offline_event`: the server's ledger (the one
//! `upload_export` uses) is asked before the event goes out, so an event
//! sent once, by the agent or by a batch job, is skipped the second time
//! and the answer says so; `resend: true` sends it again.
//!
//! The event is claimed as a run of its own (registered, claimed, sent,
//! confirmed or released, gone), the same claims a batch job makes, so an
//! agent and a nightly job at the same moment never both send it. Store
//! calls block: they run on tokio's blocking threads.

use crate::ledger::run::RunHold;
use crate::ledger::{Claim, ClaimAsk, DAY, KEEP_DAYS, SentInfo, SharedStore, unix_now};

/// What the ledger says about the event.
pub enum Gate {
    /// Send it; settle the claim after.
    Send(Held),
    /// Sent before: the first send.
    Sent(SentInfo),
    /// The server runs without a ledger (`--no-ledger`): send it.
    Unguarded,
}

/// A claimed event.
pub struct Held {
    hold: RunHold,
    dataset: String,
    event_id: String,
}

/// Claims `event_id` for a send. `now` is the entries' clock (the server's
/// `--now` in fixtures). The error is a sentence for the agent.
pub async fn claim(
    store: SharedStore,
    dataset: &str,
    event_id: &str,
    upload_tag: &str,
    resend: bool,
    now: i64,
) -> Result<Gate, String> {
    let (dataset, event_id, tag) = (
        dataset.to_owned(),
        event_id.to_owned(),
        upload_tag.to_owned(),
    );
    let name = store.name().to_owned();
    let answer = tokio::task::spawn_blocking(move || {
        let hold = RunHold::start(store, &tag)?;
        let live = hold.live_runs()?;
        let claims = hold.store.claim(&ClaimAsk {
            dataset: &dataset,
            ids: &[event_id.as_str()],
            run: &hold.info.run_id,
            live: &live,
            sent_after: now - KEEP_DAYS * DAY,
            resend,
            now: unix_now(),
        })?;
        Ok::<_, anyhow::Error>((hold, dataset, event_id, claims))
    })
    .await
    .map_err(|e| format!("the ledger {name}: {e}"))?;
    let (hold, dataset, event_id, claims) = answer.map_err(|e| {
        format!("not sent: {e:#}. Fix the ledger (or start offconv mcp with --no-ledger), then call again")
    })?;
    match claims.into_iter().next() {
        Some(Claim::Mine) => Ok(Gate::Send(Held {
            hold,
            dataset,
            event_id,
        })),
        Some(Claim::Sent(info)) => {
            finish(hold).await;
            Ok(Gate::Sent(info))
        }
        _ => {
            finish(hold).await;
            Err(format!(
                "not sent: another run is sending event {event_id} to dataset {dataset} right now (the ledger {name} holds its claim); call again in a minute: it is then sent, or skipped as sent"
            ))
        }
    }
}

/// Records the event as sent (`sent`) or gives up the claim. A ledger that
/// cannot be written is a note for the answer.
pub async fn settle(held: Held, sent: bool, upload_tag: &str, now: i64) -> Option<String> {
    let tag = upload_tag.to_owned();
    tokio::task::spawn_blocking(move || {
        let Held {
            hold,
            dataset,
            event_id,
        } = held;
        let ids = [event_id.as_str()];
        let (sent_ids, released): (&[&str], &[&str]) = if sent { (&ids, &[]) } else { (&[], &ids) };
        let result = hold
            .store
            .confirm(&dataset, &hold.info.run_id, sent_ids, released, &tag, now);
        hold.finish();
        result.err().map(|e| {
            format!(
                "{e:#}: the ledger does not know this send; a batch job may send the event again"
            )
        })
    })
    .await
    .unwrap_or_else(|e| Some(format!("the ledger: {e}")))
}

async fn finish(hold: RunHold) {
    let _ = tokio::task::spawn_blocking(move || hold.finish()).await;
}
