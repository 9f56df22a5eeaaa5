//! What an existing report means for a new run: the rows to skip on
//! `--resume`, or a refusal to overwrite the same job's report silently.

use anyhow::Context as _;

use crate::report::ahead_path;
use crate::resume::{self, JobIdentity, Previous, ReportFiles};

use super::*;

/// Decides what an existing report means: with `resume`, the rows to
/// skip; without, a refusal to overwrite the same job's report silently.
pub(super) fn previous_report(
    spec: &JobSpec,
    notes: &mut Notes,
    files: &ReportFiles,
    identity: &JobIdentity,
    names: &[String],
) -> anyhow::Result<Option<Previous>> {
    let report = files.report.display();
    let recorded = JobIdentity::load(&files.job);
    let exists = files.report.exists() || files.tmp.exists();
    if !spec.resume {
        if exists && !spec.force && recorded.as_ref() == Some(identity) {
            anyhow::bail!(
                "{report} already holds a run of this job: add --resume to continue it (rows already sent are skipped), or --force to start over"
            );
        }
        let _ = std::fs::remove_file(&files.tmp);
        let _ = std::fs::remove_file(ahead_path(&files.tmp));
        return Ok(None);
    }
    if !exists {
        notes.add(format!(
            "offconv: --resume: no report at {report} yet, so starting the job"
        ));
        return Ok(None);
    }
    let Some(recorded) = recorded else {
        anyhow::bail!(
            "cannot resume from {report}: {} is missing, so offconv cannot tell whether it belongs to this job; use --force to start over",
            files.job.display()
        );
    };
    let differences = identity.differences(&recorded);
    if !differences.is_empty() {
        anyhow::bail!(
            "cannot resume from {report}: it belongs to another job:\n  {}\nrun without --resume and with --force to start over, or give another --report",
            differences.join("\n  ")
        );
    }
    // A resume that was itself interrupted left both files: merge them.
    if files.tmp.exists() {
        if files.report.exists() {
            let merged = resume::with_suffix(&files.report, ".merge");
            resume::merge(&files.report, &files.tmp, &merged, names)
                .with_context(|| format!("cannot merge {} into {report}", files.tmp.display()))?;
            crate::private_file::keep_mode(&files.report, &merged)
                .and_then(|()| std::fs::rename(&merged, &files.report))
                .with_context(|| format!("cannot move {} over {report}", merged.display()))?;
            std::fs::remove_file(&files.tmp)
                .with_context(|| format!("cannot remove {}", files.tmp.display()))?;
        } else {
            std::fs::rename(&files.tmp, &files.report)
                .with_context(|| format!("cannot move {} to {report}", files.tmp.display()))?;
        }
    }
    let mut previous = Previous::open(&files.report, names)
        .with_context(|| format!("cannot read {report} to resume"))?;
    // Rows confirmed while an earlier batch was still retrying wait in the
    // `.ahead` sidecars of the report and of an interrupted resume.
    for path in [ahead_path(&files.report), ahead_path(&files.tmp)] {
        previous
            .load_ahead(&path)
            .with_context(|| format!("cannot read {} to resume", path.display()))?;
    }
    Ok(Some(previous))
}
