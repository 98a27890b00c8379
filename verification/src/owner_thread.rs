//! A lock owner as a long-lived thread that runs what it is sent.
//!
//! The runtime's owner is the calling OS thread. To act as several owners
//! from one test thread, each owner is a thread that executes closures one at
//! a time and sends back their results; the caller waits for each answer, so
//! at most one owner runs at any moment and a sequence of operations executes
//! deterministically.

use std::cell::Cell;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send>;

/// How long [`OwnerThread::run`] waits for an answer before it reports a hang.
/// Every operation the differential tests send is try-once or zero-timeout,
/// so any answer slower than this is a bug (a call that blocked).
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// Why [`OwnerThread::run`] got no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The job did not finish within [`ANSWER_TIMEOUT`]: it blocked.
    Hung,
    /// The job panicked (the thread is gone; later jobs fail the same way).
    Panicked,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Hung => write!(
                f,
                "the owner thread did not answer within {ANSWER_TIMEOUT:?}"
            ),
            RunError::Panicked => f.write_str("the owner thread panicked"),
        }
    }
}

/// One owner: a thread that runs jobs in the order they are sent.
#[derive(Debug)]
pub struct OwnerThread {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    hung: Cell<bool>,
}

impl OwnerThread {
    /// Starts the owner's thread, named `name`.
    pub fn spawn(name: &str) -> Self {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || serve(rx))
            .expect("spawn an owner thread");
        OwnerThread {
            jobs: Some(tx),
            thread: Some(thread),
            hung: Cell::new(false),
        }
    }

    /// Runs `f` on the owner's thread and returns its result.
    pub fn run<R, F>(&self, f: F) -> Result<R, RunError>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        let jobs = self.jobs.as_ref().ok_or(RunError::Panicked)?;
        jobs.send(job).map_err(|_| RunError::Panicked)?;
        rx.recv_timeout(ANSWER_TIMEOUT).map_err(|e| match e {
            RecvTimeoutError::Timeout => {
                self.hung.set(true);
                RunError::Hung
            }
            RecvTimeoutError::Disconnected => RunError::Panicked,
        })
    }
}

fn serve(jobs: Receiver<Job>) {
    for job in jobs {
        job();
    }
}

impl Drop for OwnerThread {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            // A hung thread would block the join forever: leave it detached.
            if !self.hung.get() {
                let _ = t.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_on_one_thread_in_order() {
        let o = OwnerThread::spawn("owner");
        let a = o.run(|| std::thread::current().id()).unwrap();
        let b = o.run(|| std::thread::current().id()).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, std::thread::current().id());
        assert_eq!(o.run(|| 6 * 7), Ok(42));
    }

    #[test]
    fn a_panicking_job_is_reported() {
        let o = OwnerThread::spawn("owner");
        let r: Result<(), RunError> = o.run(|| panic!("boom"));
        assert_eq!(r, Err(RunError::Panicked));
        assert_eq!(o.run(|| 1), Err(RunError::Panicked));
    }
}
