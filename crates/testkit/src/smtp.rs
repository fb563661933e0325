//! A local SMTP sink: a real SMTP server on a loopback port that accepts every message and
//! keeps it for the test to read, or refuses recipients with a temporary error on request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, Notify};

/// One message as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope sender.
    pub from: String,
    /// The envelope recipients.
    pub to: Vec<String>,
    /// The message, headers and body, with dot-stuffing undone.
    pub data: Vec<u8>,
}

impl Received {
    /// The message as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// The running sink; stops when dropped.
pub struct SmtpSink {
    address: SocketAddr,
    messages: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    refuse: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    /// Starts a sink on 127.0.0.1 and a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the SMTP sink");
        let address = listener.local_addr().expect("the sink's address");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let refuse = Arc::new(AtomicUsize::new(0));
        let (m, a, r) = (messages.clone(), arrived.clone(), refuse.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (m, a, r) = (m.clone(), a.clone(), r.clone());
                tokio::spawn(async move {
                    let _ = session(stream, m, a, r).await;
                });
            }
        });
        Self {
            address,
            messages,
            arrived,
            refuse,
            task,
        }
    }

    /// The URL a mailer sends to (`smtp://127.0.0.1:PORT`, unencrypted).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }

    /// Refuses the next `n` recipients with `451` (a temporary failure).
    pub fn refuse_next(&self, n: usize) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    /// Every message received so far.
    pub async fn messages(&self) -> Vec<Received> {
        self.messages.lock().await.clone()
    }

    /// Waits until at least `n` messages arrived (or `timeout` passed) and returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            {
                let all = self.messages.lock().await;
                if all.len() >= n {
                    return all.clone();
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.messages.lock().await.clone();
            }
        }
    }
}

async fn session(
    stream: TcpStream,
    messages: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    refuse: Arc<AtomicUsize>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write
        .write_all(b"220 sink.localhost ESMTP test sink\r\n")
        .await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = command[10..].trim().trim_matches(['<', '>']).to_string();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            let refused = refuse
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refused {
                b"451 4.3.0 try again later\r\n"
            } else {
                to.push(command[8..].trim().trim_matches(['<', '>']).to_string());
                b"250 OK\r\n"
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                write.write_all(b"554 no valid recipients\r\n").await?;
                continue;
            }
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = Vec::new();
            loop {
                let mut raw = Vec::new();
                if read.read_until(b'\n', &mut raw).await? == 0 {
                    return Ok(());
                }
                if raw == b".\r\n" || raw == b".\n" {
                    break;
                }
                let body = if raw.starts_with(b"..") {
                    &raw[1..]
                } else {
                    &raw[..]
                };
                data.extend_from_slice(body);
            }
            messages.lock().await.push(Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
            arrived.notify_waiters();
            b"250 OK queued\r\n"
        } else if upper.starts_with("RSET") {
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// How long tests wait for mail by default.
pub const MAIL_WAIT: Duration = Duration::from_secs(10);
