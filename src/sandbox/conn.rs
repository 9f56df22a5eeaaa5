//! The sandbox's listener, whose connections a handler can cut: the
//! `--drop-rate` fault must close a connection without a single byte of
//! answer, as a crashed backend or a flaky network does.
//!
//! Each accepted stream carries a [`ConnHandle`]; axum hands the same handle
//! to handlers as connection info. Once a handler cuts it, every read and
//! write on the stream fails, so hyper abandons the connection before
//! writing the response and drops the socket: the client sees the connection
//! close with no answer.
//!
//! Connections also end on their own (issue 16): one on which nothing has
//! been read or written for the idle timeout (`--idle-timeout`, default
//! [`DEFAULT_IDLE`]) is closed, whether it sits idle between requests,
//! never sent a byte, or stopped halfway through a request. The clock
//! stands still while a handler works on the connection's request (a
//! `--latency-ms` longer than the timeout still gets its answer).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// How long a connection may sit without a byte either way: longer than
/// the uploader keeps an idle connection in its pool (60 s), so the
/// sandbox does not close one just as the uploader reuses it.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(75);

/// Cuts one connection, and knows whether a handler is working on it.
#[derive(Debug, Clone, Default)]
pub struct ConnHandle(Arc<ConnState>);

#[derive(Debug, Default)]
struct ConnState {
    cut: AtomicBool,
    handling: AtomicUsize,
}

/// A handler at work on the connection's request; the idle clock stands
/// still while one lives.
pub struct Handling(ConnHandle);

impl Drop for Handling {
    fn drop(&mut self) {
        self.0.0.handling.fetch_sub(1, Ordering::AcqRel);
    }
}

impl ConnHandle {
    pub fn cut(&self) {
        self.0.cut.store(true, Ordering::Release);
    }

    /// Marks the connection busy for as long as the guard lives.
    pub fn handling(&self) -> Handling {
        self.0.handling.fetch_add(1, Ordering::AcqRel);
        Handling(self.clone())
    }

    fn is_cut(&self) -> bool {
        self.0.cut.load(Ordering::Acquire)
    }

    fn is_handling(&self) -> bool {
        self.0.handling.load(Ordering::Acquire) > 0
    }

    fn check(&self) -> io::Result<()> {
        if self.is_cut() {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "connection dropped by the sandbox (--drop-rate)",
            ))
        } else {
            Ok(())
        }
    }
}

/// A TCP stream that fails every operation once its handle is cut, or
/// once it has been idle too long.
#[derive(Debug)]
pub struct CuttableStream {
    inner: TcpStream,
    handle: ConnHandle,
    idle: Duration,
    /// The last byte read or written (or the handler's last moment).
    last: Instant,
    timer: Pin<Box<Sleep>>,
}

impl CuttableStream {
    fn new(inner: TcpStream, idle: Duration) -> CuttableStream {
        let last = Instant::now();
        CuttableStream {
            inner,
            handle: ConnHandle::default(),
            idle,
            last,
            timer: Box::pin(tokio::time::sleep_until(last + idle)),
        }
    }

    /// For an operation that must wait: an error once the connection has
    /// been idle for the timeout, else `Pending` with a wake-up set for
    /// that moment.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        loop {
            let now = Instant::now();
            if self.handle.is_handling() {
                self.last = now;
            }
            let deadline = self.last + self.idle;
            if now >= deadline {
                return Poll::Ready(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle past the sandbox's --idle-timeout",
                ));
            }
            if self.timer.deadline() != deadline {
                self.timer.as_mut().reset(deadline);
            }
            if self.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
    }

    /// The outcome of an inner operation: progress resets the idle clock,
    /// waiting checks it.
    fn track<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
        progress: bool,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Pending => self.poll_idle(cx).map(Err),
            ready => {
                if progress {
                    self.last = Instant::now();
                }
                ready
            }
        }
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.handle.check()?;
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        let progress = buf.filled().len() > before;
        this.track(cx, poll, progress)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.handle.check()?;
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.track(cx, poll, true)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.handle.check()?;
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.track(cx, poll, true)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.handle.check()?;
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.track(cx, poll, false)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.handle.is_cut() {
            // Dropping the socket closes it; nothing more to send.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// A TCP listener whose streams can be cut, and end when idle.
#[derive(Debug)]
pub struct SandboxListener {
    pub listener: TcpListener,
    pub idle: Duration,
}

impl Listener for SandboxListener {
    type Io = CuttableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.listener.accept().await {
                Ok((inner, addr)) => {
                    // Small answers must not wait for Nagle's algorithm.
                    let _ = inner.set_nodelay(true);
                    return (CuttableStream::new(inner, self.idle), addr);
                }
                // A client that gave up before we accepted: nothing to do.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                    ) => {}
                // Out of file descriptors, most likely: wait for some to close
                // rather than spin (axum's own listener does the same).
                Err(e) => {
                    tracing::error!("sandbox: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

impl Connected<IncomingStream<'_, SandboxListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, SandboxListener>) -> Self {
        stream.io().handle.clone()
    }
}
