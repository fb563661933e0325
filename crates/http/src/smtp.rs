//! A small inbound SMTP listener (a subset of RFC 5321, with RFC 1870 `SIZE`, RFC 6152
//! `8BITMIME`, RFC 2920 `PIPELINING`, RFC 6531 `SMTPUTF8` and RFC 2034 enhanced status codes)
//! that hands every accepted message to a [`MessageSink`].
//!
//! It is off unless [`serve`] is called. It speaks no STARTTLS and no AUTH: it is meant to sit
//! behind the organisation's MX relay on a private network, which does TLS, spam and virus
//! filtering towards the internet and relays only mail for the privacy and security addresses
//! here. Do not expose it to the internet directly.
//!
//! What it guards against on its own: every buffer is bounded (command lines at
//! [`MAX_COMMAND_LINE`] octets, messages at [`SmtpConfig::max_message_bytes`], checked while
//! reading), every read and write has the idle timeout, concurrent connections are capped, a
//! client that keeps making errors is disconnected, and only `<CRLF>.<CRLF>` ends a message (a
//! bare-LF `.` line is data, which closes the "SMTP smuggling" hole). Lines of a message
//! longer than RFC 5321's 1000 octets are accepted: only the message's total size is limited.
//! At worst a listener holds about `max_connections × max_message_bytes` of messages in
//! memory. The sink gets the message with a `Received:` header prepended.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::timeout;

/// The longest command line accepted, in octets including the CRLF (RFC 5321 allows 512 for
/// commands and 1000 for text lines; the larger covers `SMTPUTF8` addresses and parameters).
pub const MAX_COMMAND_LINE: usize = 1000;

/// How much of an over-long command line is read and thrown away before the connection is
/// closed instead.
const MAX_DISCARD: usize = 64 * 1024;

/// The largest piece of a message line read at once while receiving `DATA`.
const DATA_CHUNK: usize = 8 * 1024;

/// How many failed commands (5xx replies) a connection may make before it is closed.
const MAX_ERRORS: usize = 20;

/// How many connections refused for being over [`SmtpConfig::max_connections`] may be
/// answered (with a 421) at once; past that they are closed without a word.
const MAX_REFUSALS: usize = 16;

/// How long a closing session reads and drops what the client still sends.
const LINGER: Duration = Duration::from_secs(2);

/// How long a quiet client is waited for while lingering.
const LINGER_QUIET: Duration = Duration::from_millis(250);

/// The most a closing session reads and drops.
const LINGER_BYTES: usize = 256 * 1024;

/// How long [`serve`] waits, after its shutdown future completes, for sessions in the middle
/// of a message to finish before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How the listener behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// The name the server gives in its greeting and `Received:` headers.
    pub hostname: String,
    /// The largest message accepted, in octets, as received (after dot-unstuffing, before the
    /// `Received:` header is added). Advertised as `SIZE`.
    pub max_message_bytes: usize,
    /// The recipient domains accepted (case-insensitive, exact: subdomains are not included).
    /// Any other recipient is refused with 550 5.1.1. Empty refuses every recipient.
    pub accept_domains: Vec<String>,
    /// The most recipients one message may have; the next gets 452 4.5.3.
    pub max_recipients: usize,
    /// How long the server waits for each read or write before closing with 421 4.4.2.
    pub idle_timeout: Duration,
    /// The most connections served at once; one more is answered 421 4.3.2 and closed.
    pub max_connections: usize,
}

impl Default for SmtpConfig {
    /// `localhost`, 10 MiB messages, no accepted domain, 100 recipients, 5 minutes idle
    /// (RFC 5321's minimum for most waits), 64 connections.
    fn default() -> Self {
        Self {
            hostname: "localhost".into(),
            max_message_bytes: 10 * 1024 * 1024,
            accept_domains: Vec::new(),
            max_recipients: 100,
            idle_timeout: Duration::from_secs(300),
            max_connections: 64,
        }
    }
}

/// Who a message is from and for, as the SMTP client said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The `MAIL FROM` address; `""` for the null sender (bounces).
    pub mail_from: String,
    /// The accepted `RCPT TO` addresses, domains lowercased, without repeats.
    pub rcpt_to: Vec<String>,
    /// The client's address, when known.
    pub peer: Option<SocketAddr>,
}

/// Why a sink did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// Never: the client gets 554 and should bounce the message.
    Rejected(String),
    /// Not now: the client gets 451 and should try again later.
    Temporary(String),
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rejected(why) => write!(f, "message rejected: {why}"),
            Self::Temporary(why) => write!(f, "message not accepted for now: {why}"),
        }
    }
}

impl std::error::Error for SinkError {}

/// Where accepted messages go.
///
/// `deliver` is awaited before the client gets its reply to `DATA`, so the message is either
/// safely taken (250) or refused (451, 554): nothing is lost in between. The listener puts no
/// time limit on it; a sink should bound its own work.
pub trait MessageSink: Send + Sync + 'static {
    /// Takes one message: `raw` is the message as received, with a `Received:` header
    /// prepended. Returns an id that goes into the 250 reply (`queued as ID`).
    fn deliver(
        &self,
        envelope: Envelope,
        raw: Vec<u8>,
    ) -> BoxFuture<'static, Result<String, SinkError>>;
}

/// Serves SMTP on `listener` until `shutdown` completes.
///
/// On shutdown it stops accepting, tells every client waiting between commands `421` and
/// waits a few seconds for messages being received or delivered to finish.
///
/// # Errors
///
/// `InvalidInput` when the configuration cannot work (an empty or multi-word hostname, no
/// connection or no recipient allowed, a zero message size). Failures to accept a connection
/// are logged and retried, not returned.
pub async fn serve(
    listener: TcpListener,
    config: SmtpConfig,
    sink: Arc<dyn MessageSink>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    validate(&config)?;
    let config = Arc::new(config);
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let (stop, stopped) = watch::channel(false);
    let mut sessions = JoinSet::new();
    tokio::pin!(shutdown);

    loop {
        while sessions.try_join_next().is_some() {}
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match Arc::clone(&slots).try_acquire_owned() {
                    Ok(slot) => {
                        let session = Session::new(
                            stream,
                            Some(peer),
                            Arc::clone(&config),
                            Arc::clone(&sink),
                            stopped.clone(),
                        );
                        sessions.spawn(async move {
                            session.run().await;
                            drop(slot);
                        });
                    }
                    Err(_) => {
                        tracing::warn!(%peer, "smtp: connection limit reached, refusing");
                        if let Ok(permit) = Arc::clone(&refusals).try_acquire_owned() {
                            let line = format!(
                                "421 4.3.2 {} Too many connections, try again later\r\n",
                                config.hostname
                            );
                            tokio::spawn(async move {
                                let mut stream = stream;
                                let _ = timeout(
                                    Duration::from_secs(1),
                                    stream.write_all(line.as_bytes()),
                                )
                                .await;
                                let _ = timeout(Duration::from_secs(1), stream.shutdown()).await;
                                drop(permit);
                            });
                        }
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "smtp: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }

    drop(listener);
    let _ = stop.send(true);
    let _ = timeout(SHUTDOWN_GRACE, async {
        while sessions.join_next().await.is_some() {}
    })
    .await;
    sessions.abort_all();
    Ok(())
}

fn validate(config: &SmtpConfig) -> io::Result<()> {
    let invalid = |what: &str| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            what.to_string(),
        ))
    };
    if config.hostname.is_empty()
        || config.hostname.len() > 255
        || !config.hostname.chars().all(|c| c.is_ascii_graphic())
    {
        return invalid("smtp: hostname must be one word of printable ASCII, e.g. mx.example.org");
    }
    if config.max_connections == 0 {
        return invalid("smtp: max_connections must be at least 1");
    }
    if config.max_recipients == 0 {
        return invalid("smtp: max_recipients must be at least 1");
    }
    if config.max_message_bytes == 0 {
        return invalid("smtp: max_message_bytes must be at least 1");
    }
    Ok(())
}

/// Why a read ended without a line.
enum ReadError {
    /// Nothing arrived within the idle timeout.
    Timeout,
    /// The client closed the connection (or it broke).
    Closed,
}

/// A command line as read.
enum Line {
    /// A line, with its line ending.
    Complete(Vec<u8>),
    /// Over [`MAX_COMMAND_LINE`]; read to its end and thrown away.
    TooLong,
    /// Over [`MAX_DISCARD`] without a line ending.
    Flood,
}

/// Appends to `out` up to and including the next LF, but never past `max` octets in `out`.
/// Returns whether an LF ended the read.
async fn read_until_lf<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    out: &mut Vec<u8>,
    max: usize,
    idle: Duration,
) -> Result<bool, ReadError> {
    loop {
        if out.len() >= max {
            return Ok(false);
        }
        let buf = match timeout(idle, reader.fill_buf()).await {
            Err(_) => return Err(ReadError::Timeout),
            Ok(Err(_)) => return Err(ReadError::Closed),
            Ok(Ok(buf)) => buf,
        };
        if buf.is_empty() {
            return Err(ReadError::Closed);
        }
        let limit = buf.len().min(max - out.len());
        let (taken, lf) = match buf[..limit].iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (limit, false),
        };
        out.extend_from_slice(&buf[..taken]);
        reader.consume(taken);
        if lf {
            return Ok(true);
        }
    }
}

/// Reads one command line of at most [`MAX_COMMAND_LINE`] octets.
async fn read_command<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    idle: Duration,
) -> Result<Line, ReadError> {
    let mut line = Vec::with_capacity(128);
    if read_until_lf(reader, &mut line, MAX_COMMAND_LINE, idle).await? {
        return Ok(Line::Complete(line));
    }
    let mut discarded = line.len();
    loop {
        line.clear();
        let lf = read_until_lf(reader, &mut line, 4096, idle).await?;
        discarded += line.len();
        if lf {
            return Ok(Line::TooLong);
        }
        if discarded > MAX_DISCARD {
            return Ok(Line::Flood);
        }
    }
}

/// How a message's `DATA` ended.
enum Data {
    /// The message, dot-unstuffed, without the terminating `.` line.
    Complete(Vec<u8>),
    /// Over the size limit; read to its end and thrown away.
    TooLarge,
}

/// Reads a message up to `<CRLF>.<CRLF>`, undoing dot-stuffing, keeping at most `max` octets.
/// Only CRLF ends a line here, so a `.` after a bare LF is data.
async fn read_data<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
    idle: Duration,
) -> Result<Data, ReadError> {
    let mut message = Vec::new();
    let mut too_large = false;
    let mut at_line_start = true;
    let mut after_cr = false;
    let mut piece = Vec::with_capacity(256);
    loop {
        piece.clear();
        let lf = read_until_lf(reader, &mut piece, DATA_CHUNK, idle).await?;
        let starts_line = at_line_start;
        at_line_start = lf && (piece.ends_with(b"\r\n") || (piece.len() == 1 && after_cr));
        after_cr = piece.last() == Some(&b'\r');
        if starts_line && piece == b".\r\n" {
            break;
        }
        let content = match piece.split_first() {
            Some((b'.', rest)) if starts_line => rest,
            _ => &piece[..],
        };
        if too_large {
            continue;
        }
        if message.len() + content.len() > max {
            too_large = true;
            message = Vec::new();
        } else {
            message.extend_from_slice(content);
        }
    }
    Ok(if too_large {
        Data::TooLarge
    } else {
        Data::Complete(message)
    })
}

/// What to do after a command.
enum Flow {
    Continue,
    Close,
}

/// One client connection.
struct Session {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
    peer: Option<SocketAddr>,
    config: Arc<SmtpConfig>,
    sink: Arc<dyn MessageSink>,
    stopped: watch::Receiver<bool>,
    /// The HELO/EHLO name, and whether it was EHLO.
    helo: Option<(String, bool)>,
    mail_from: Option<String>,
    smtputf8: bool,
    rcpt_to: Vec<String>,
    errors: usize,
    /// Whether the client may still be sending when the session closes (it is being cut
    /// off), so closing should drain its input for a moment.
    linger: bool,
}

impl Session {
    fn new(
        stream: TcpStream,
        peer: Option<SocketAddr>,
        config: Arc<SmtpConfig>,
        sink: Arc<dyn MessageSink>,
        stopped: watch::Receiver<bool>,
    ) -> Self {
        let (reader, writer) = stream.into_split();
        Self {
            reader: BufReader::with_capacity(8 * 1024, reader),
            writer,
            peer,
            config,
            sink,
            stopped,
            helo: None,
            mail_from: None,
            smtputf8: false,
            rcpt_to: Vec::new(),
            errors: 0,
            linger: false,
        }
    }

    async fn run(mut self) {
        let greeting = format!("{} ESMTP Custodian ready", self.config.hostname);
        if self.reply(220, &greeting).await.is_err() {
            return;
        }
        loop {
            let idle = self.config.idle_timeout;
            let line = tokio::select! {
                biased;
                () = stopping(&mut self.stopped) => {
                    let text = format!("4.3.2 {} Service shutting down", self.config.hostname);
                    let _ = self.reply(421, &text).await;
                    break;
                }
                line = read_command(&mut self.reader, idle) => line,
            };
            let flow = match line {
                Err(ReadError::Timeout) => {
                    let text = format!(
                        "4.4.2 {} Idle timeout, closing connection",
                        self.config.hostname
                    );
                    let _ = self.reply(421, &text).await;
                    break;
                }
                Err(ReadError::Closed) => break,
                Ok(Line::Flood) => {
                    self.linger = true;
                    let _ = self
                        .reply(500, "5.5.2 Line too long, closing connection")
                        .await;
                    break;
                }
                Ok(Line::TooLong) => self.fail(500, "5.5.2 Line too long").await,
                Ok(Line::Complete(line)) => self.command(&line).await,
            };
            match flow {
                Ok(Flow::Continue) => {}
                Ok(Flow::Close) | Err(_) => break,
            }
        }
        let _ = timeout(Duration::from_secs(1), self.writer.shutdown()).await;
        if !self.linger {
            return;
        }
        // Read and drop what the client still sends, for a moment, so that closing with
        // unread input does not reset the connection before the last reply is read.
        let _ = timeout(LINGER, async {
            let mut drained = 0;
            while drained < LINGER_BYTES {
                match timeout(LINGER_QUIET, self.reader.fill_buf()).await {
                    Ok(Ok(buf)) if !buf.is_empty() => {
                        let n = buf.len();
                        drained += n;
                        self.reader.consume(n);
                    }
                    _ => break,
                }
            }
        })
        .await;
    }

    /// Sends a one-line reply.
    async fn reply(&mut self, code: u16, text: &str) -> io::Result<()> {
        self.write(format!("{code} {text}\r\n").as_bytes()).await
    }

    async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match timeout(self.config.idle_timeout, self.writer.write_all(bytes)).await {
            Ok(done) => done,
            Err(_) => Err(io::ErrorKind::TimedOut.into()),
        }
    }

    /// Sends a 5xx reply and counts it; too many and the connection is closed.
    async fn fail(&mut self, code: u16, text: &str) -> io::Result<Flow> {
        self.reply(code, text).await?;
        self.errors += 1;
        if self.errors >= MAX_ERRORS {
            let text = format!(
                "4.7.0 {} Too many errors, closing connection",
                self.config.hostname
            );
            self.reply(421, &text).await?;
            self.linger = true;
            return Ok(Flow::Close);
        }
        Ok(Flow::Continue)
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.smtputf8 = false;
        self.rcpt_to.clear();
    }

    async fn command(&mut self, raw: &[u8]) -> io::Result<Flow> {
        let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(line) = std::str::from_utf8(raw) else {
            return self.fail(500, "5.5.2 Syntax error: not UTF-8").await;
        };
        if line.chars().any(|c| c.is_control() && c != '\t') {
            return self
                .fail(500, "5.5.2 Syntax error: control characters")
                .await;
        }
        let (verb, args) = match line.split_once([' ', '\t']) {
            Some((verb, args)) => (verb, args.trim()),
            None => (line, ""),
        };
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => self.hello(args, true).await,
            "HELO" => self.hello(args, false).await,
            "MAIL" => self.mail(args).await,
            "RCPT" => self.rcpt(args).await,
            "DATA" => self.data(args).await,
            "RSET" => {
                self.reset();
                self.reply(250, "2.0.0 Ok").await?;
                Ok(Flow::Continue)
            }
            "NOOP" => {
                self.reply(250, "2.0.0 Ok").await?;
                Ok(Flow::Continue)
            }
            "QUIT" => {
                let text = format!("2.0.0 {} closing connection", self.config.hostname);
                self.reply(221, &text).await?;
                Ok(Flow::Close)
            }
            "VRFY" => {
                self.reply(
                    252,
                    "2.5.0 Cannot verify the user, but will accept the message and attempt delivery",
                )
                .await?;
                Ok(Flow::Continue)
            }
            "HELP" => {
                self.reply(
                    214,
                    "2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP VRFY QUIT",
                )
                .await?;
                Ok(Flow::Continue)
            }
            "EXPN" | "STARTTLS" | "AUTH" | "BDAT" | "ETRN" | "ATRN" | "TURN" | "SEND" | "SOML"
            | "SAML" => self.fail(502, "5.5.1 Command not implemented").await,
            _ => self.fail(500, "5.5.2 Command unrecognized").await,
        }
    }

    async fn hello(&mut self, args: &str, extended: bool) -> io::Result<Flow> {
        let Some(name) = args.split_whitespace().next() else {
            return self.fail(501, "5.5.4 Syntax: EHLO hostname").await;
        };
        let name = printable(name, 255);
        self.reset();
        let host = self.config.hostname.clone();
        if extended {
            let lines = format!(
                "250-{host} greets {name}\r\n250-SIZE {}\r\n250-8BITMIME\r\n250-PIPELINING\r\n\
                 250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES\r\n",
                self.config.max_message_bytes
            );
            self.write(lines.as_bytes()).await?;
        } else {
            self.reply(250, &format!("{host} greets {name}")).await?;
        }
        self.helo = Some((name, extended));
        Ok(Flow::Continue)
    }

    async fn mail(&mut self, args: &str) -> io::Result<Flow> {
        if self.helo.is_none() {
            return self.fail(503, "5.5.1 Send HELO/EHLO first").await;
        }
        if self.mail_from.is_some() {
            return self.fail(503, "5.5.1 Sender already specified").await;
        }
        let Some(rest) = strip_keyword(args, "FROM:") else {
            return self.fail(501, "5.5.4 Syntax: MAIL FROM:<address>").await;
        };
        let Some((address, params)) = parse_path(rest) else {
            return self.fail(501, "5.1.7 Bad sender address syntax").await;
        };
        if !address.is_empty() && !valid_address(&address) {
            return self.fail(501, "5.1.7 Bad sender address syntax").await;
        }
        let mut smtputf8 = false;
        for param in params.split_whitespace() {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            match key.to_ascii_uppercase().as_str() {
                "SIZE" => match value.parse::<u64>() {
                    Ok(size) if size > self.config.max_message_bytes as u64 => {
                        return self
                            .fail(552, "5.3.4 Message size exceeds fixed maximum message size")
                            .await;
                    }
                    Ok(_) => {}
                    Err(_) => return self.fail(501, "5.5.4 Bad SIZE parameter").await,
                },
                "BODY"
                    if value.eq_ignore_ascii_case("7BIT")
                        || value.eq_ignore_ascii_case("8BITMIME") => {}
                "SMTPUTF8" if value.is_empty() => smtputf8 = true,
                _ => return self.fail(555, "5.5.4 Unsupported MAIL parameter").await,
            }
        }
        self.mail_from = Some(address);
        self.smtputf8 = smtputf8;
        self.reply(250, "2.1.0 Ok").await?;
        Ok(Flow::Continue)
    }

    async fn rcpt(&mut self, args: &str) -> io::Result<Flow> {
        if self.mail_from.is_none() {
            return self.fail(503, "5.5.1 Need MAIL command first").await;
        }
        let Some(rest) = strip_keyword(args, "TO:") else {
            return self.fail(501, "5.5.4 Syntax: RCPT TO:<address>").await;
        };
        let Some((address, params)) = parse_path(rest) else {
            return self.fail(501, "5.1.3 Bad recipient address syntax").await;
        };
        if !params.trim().is_empty() {
            return self.fail(555, "5.5.4 Unsupported RCPT parameter").await;
        }
        let address = if address.eq_ignore_ascii_case("postmaster") {
            "postmaster".to_string()
        } else {
            if !valid_address(&address) {
                return self.fail(501, "5.1.3 Bad recipient address syntax").await;
            }
            let (local, domain) = address.rsplit_once('@').unwrap_or(("", &address));
            let domain = domain.trim_end_matches('.').to_lowercase();
            let accepted = self
                .config
                .accept_domains
                .iter()
                .any(|d| d.trim_end_matches('.').eq_ignore_ascii_case(&domain));
            if !accepted {
                let text = format!(
                    "5.1.1 <{}>: Recipient address rejected: this server takes mail only for \
                     its own domains",
                    printable(&address, 320)
                );
                return self.fail(550, &text).await;
            }
            format!("{local}@{domain}")
        };
        if self.rcpt_to.contains(&address) {
            self.reply(250, "2.1.5 Ok").await?;
            return Ok(Flow::Continue);
        }
        if self.rcpt_to.len() >= self.config.max_recipients {
            self.reply(452, "4.5.3 Too many recipients").await?;
            return Ok(Flow::Continue);
        }
        self.rcpt_to.push(address);
        self.reply(250, "2.1.5 Ok").await?;
        Ok(Flow::Continue)
    }

    async fn data(&mut self, args: &str) -> io::Result<Flow> {
        if !args.is_empty() {
            return self
                .fail(501, "5.5.4 Syntax: DATA takes no arguments")
                .await;
        }
        let Some(mail_from) = self.mail_from.clone() else {
            return self.fail(503, "5.5.1 Need MAIL command first").await;
        };
        if self.rcpt_to.is_empty() {
            return self.fail(503, "5.5.1 Need RCPT command first").await;
        }
        self.reply(354, "End data with <CR><LF>.<CR><LF>").await?;
        let idle = self.config.idle_timeout;
        let data = match read_data(&mut self.reader, self.config.max_message_bytes, idle).await {
            Ok(data) => data,
            Err(ReadError::Timeout) => {
                let text = format!(
                    "4.4.2 {} Idle timeout, closing connection",
                    self.config.hostname
                );
                let _ = self.reply(421, &text).await;
                return Ok(Flow::Close);
            }
            Err(ReadError::Closed) => return Ok(Flow::Close),
        };
        let message = match data {
            Data::TooLarge => {
                self.reset();
                self.reply(552, "5.3.4 Message too big for system").await?;
                return Ok(Flow::Continue);
            }
            Data::Complete(message) => message,
        };
        let mut raw = self.received_header().into_bytes();
        raw.extend_from_slice(&message);
        drop(message);
        let envelope = Envelope {
            mail_from,
            rcpt_to: std::mem::take(&mut self.rcpt_to),
            peer: self.peer,
        };
        self.reset();
        let outcome = self.sink.deliver(envelope, raw).await;
        match outcome {
            Ok(id) => {
                let text = format!("2.0.0 Ok: queued as {}", printable(&id, 200));
                self.reply(250, &text).await?;
            }
            Err(SinkError::Rejected(why)) => {
                let text = format!("5.6.0 {}", printable(&why, 400));
                self.reply(554, &text).await?;
            }
            Err(SinkError::Temporary(why)) => {
                let text = format!("4.3.0 {}", printable(&why, 400));
                self.reply(451, &text).await?;
            }
        }
        Ok(Flow::Continue)
    }

    /// The `Received:` trace header (RFC 5321 section 4.4) for the message being delivered.
    fn received_header(&self) -> String {
        let (helo, extended) = match &self.helo {
            Some((name, extended)) => (header_safe(name), *extended),
            None => ("unknown".to_string(), false),
        };
        let peer = match self.peer {
            Some(SocketAddr::V4(a)) => format!("[{}]", a.ip()),
            Some(SocketAddr::V6(a)) => format!("[IPv6:{}]", a.ip()),
            None => "unknown".into(),
        };
        let protocol = match (extended, self.smtputf8) {
            (true, true) => "UTF8SMTP",
            (true, false) => "ESMTP",
            (false, _) => "SMTP",
        };
        let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
        let date = jiff::fmt::rfc2822::to_string(&now).unwrap_or_default();
        format!(
            "Received: from {helo} ({peer})\r\n\tby {} with {protocol};\r\n\t{date}\r\n",
            self.config.hostname
        )
    }
}

/// Completes once the listener is shutting down (or gone).
async fn stopping(stopped: &mut watch::Receiver<bool>) {
    while !*stopped.borrow_and_update() {
        if stopped.changed().await.is_err() {
            return;
        }
    }
}

/// Strips a case-insensitive keyword such as `FROM:` and the spaces after it.
fn strip_keyword<'a>(args: &'a str, keyword: &str) -> Option<&'a str> {
    let head = args.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword)
        .then(|| args[keyword.len()..].trim_start())
}

/// Reads `<address>` (or a bare address) and returns it with the parameters after it. A
/// source route (`<@a,@b:user@d>`) is dropped.
fn parse_path(s: &str) -> Option<(String, &str)> {
    let (inner, rest) = if let Some(after) = s.strip_prefix('<') {
        let end = after.find('>')?;
        (&after[..end], &after[end + 1..])
    } else {
        let end = s.find([' ', '\t']).unwrap_or(s.len());
        (&s[..end], &s[end..])
    };
    let inner = if inner.starts_with('@') {
        inner.split_once(':')?.1
    } else {
        inner
    };
    Some((inner.to_string(), rest))
}

/// Whether `address` looks like `local@domain` (lenient about the local part).
fn valid_address(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && address.len() <= 320
        && address
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '<' && c != '>')
        && !domain.contains(['@', '"', '\\', ',', ';'])
}

/// A client-given name reduced to what can stand in a `Received:` header without changing its
/// structure (no comments, no `;`).
fn header_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']') {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// `s` cut to `max` characters with anything unprintable replaced, fit for a reply or header.
fn printable(s: &str, max: usize) -> String {
    s.chars()
        .take(max)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Mutex;

    use tokio::io::AsyncReadExt;
    use tokio::sync::oneshot;
    use tokio::task::JoinHandle;

    use super::*;

    /// Keeps every message; refuses those whose body says so.
    #[derive(Default)]
    struct Collect {
        got: Mutex<Vec<(Envelope, Vec<u8>)>>,
    }

    impl Collect {
        fn messages(&self) -> Vec<(Envelope, Vec<u8>)> {
            self.got.lock().unwrap().clone()
        }
    }

    impl MessageSink for Collect {
        fn deliver(
            &self,
            envelope: Envelope,
            raw: Vec<u8>,
        ) -> BoxFuture<'static, Result<String, SinkError>> {
            let text = String::from_utf8_lossy(&raw).into_owned();
            let result = if text.contains("X-Test: reject") {
                Err(SinkError::Rejected("not for us".into()))
            } else if text.contains("X-Test: later") {
                Err(SinkError::Temporary("store busy".into()))
            } else {
                let mut got = self.got.lock().unwrap();
                got.push((envelope, raw));
                Ok(format!("msg-{}", got.len()))
            };
            Box::pin(async move { result })
        }
    }

    fn config() -> SmtpConfig {
        SmtpConfig {
            hostname: "mx.test".into(),
            max_message_bytes: 10_000,
            accept_domains: vec!["privacy.example".into(), "Security.Example".into()],
            max_recipients: 3,
            idle_timeout: Duration::from_secs(5),
            max_connections: 4,
        }
    }

    struct Server {
        addr: SocketAddr,
        sink: Arc<Collect>,
        stop: Option<oneshot::Sender<()>>,
        task: JoinHandle<io::Result<()>>,
    }

    impl Server {
        async fn start(config: SmtpConfig) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let sink = Arc::new(Collect::default());
            let (stop, stopped) = oneshot::channel::<()>();
            let task = tokio::spawn(serve(
                listener,
                config,
                Arc::clone(&sink) as Arc<dyn MessageSink>,
                async move {
                    let _ = stopped.await;
                },
            ));
            Self {
                addr,
                sink,
                stop: Some(stop),
                task,
            }
        }

        async fn stop(mut self) {
            let _ = self.stop.take().unwrap().send(());
            timeout(Duration::from_secs(15), self.task)
                .await
                .expect("serve ends on shutdown")
                .unwrap()
                .unwrap();
        }
    }

    /// A raw SMTP conversation.
    struct Client {
        reader: BufReader<OwnedReadHalf>,
        writer: OwnedWriteHalf,
    }

    impl Client {
        async fn connect(addr: SocketAddr) -> Self {
            let stream = TcpStream::connect(addr).await.unwrap();
            let (reader, writer) = stream.into_split();
            Self {
                reader: BufReader::new(reader),
                writer,
            }
        }

        /// Connects and reads the greeting.
        async fn open(addr: SocketAddr) -> Self {
            let mut client = Self::connect(addr).await;
            client.expect(220).await;
            client
        }

        async fn send(&mut self, bytes: impl AsRef<[u8]>) {
            self.writer.write_all(bytes.as_ref()).await.unwrap();
        }

        /// Reads one (possibly multi-line) reply; `None` at end of stream.
        async fn reply(&mut self) -> Option<(u16, String)> {
            let mut text = String::new();
            loop {
                let mut line = String::new();
                let n = timeout(Duration::from_secs(10), self.reader.read_line(&mut line))
                    .await
                    .expect("a reply in time")
                    .unwrap();
                if n == 0 {
                    return if text.is_empty() {
                        None
                    } else {
                        panic!("cut: {text}")
                    };
                }
                text.push_str(&line);
                let code: u16 = line.get(..3).unwrap().parse().unwrap();
                if line.as_bytes().get(3) != Some(&b'-') {
                    return Some((code, text));
                }
            }
        }

        async fn expect(&mut self, code: u16) -> String {
            let (got, text) = self.reply().await.expect("a reply, not end of stream");
            assert_eq!(got, code, "reply: {text}");
            text
        }

        async fn cmd(&mut self, line: &str, code: u16) -> String {
            self.send(format!("{line}\r\n")).await;
            self.expect(code).await
        }

        /// Expects the server to close the connection.
        async fn expect_closed(&mut self) {
            assert_eq!(self.reply().await, None);
        }
    }

    async fn data_of(input: &[u8], max: usize) -> Option<Vec<u8>> {
        let mut reader = input;
        match read_data(&mut reader, max, Duration::from_secs(1)).await {
            Ok(Data::Complete(message)) => Some(message),
            Ok(Data::TooLarge) => None,
            Err(_) => panic!("read_data ended without a terminator"),
        }
    }

    #[tokio::test]
    async fn data_terminator_and_dot_unstuffing() {
        assert_eq!(data_of(b".\r\n", 100).await.unwrap(), b"");
        assert_eq!(
            data_of(b"a\r\n..b\r\n.c\r\n.\r\nafter", 100).await.unwrap(),
            b"a\r\n.b\r\nc\r\n"
        );
        // Only CRLF ends a line: a dot after a bare LF is data, and a line ".<LF>" is not the
        // end but a dot-stuffed line holding a bare LF.
        assert_eq!(
            data_of(b"a\n.\r\nb\r\n.\n\r\n.\r\n", 100).await.unwrap(),
            b"a\n.\r\nb\r\n\n\r\n"
        );
        // A CRLF split between two read pieces still ends its line.
        let mut input = vec![b'a'; DATA_CHUNK - 1];
        input.extend_from_slice(b"\r\n.\r\n");
        let mut expected = vec![b'a'; DATA_CHUNK - 1];
        expected.extend_from_slice(b"\r\n");
        assert_eq!(data_of(&input, 100_000).await.unwrap(), expected);
        // A line longer than a piece whose later piece starts with a dot keeps the dot.
        let mut input = vec![b'a'; DATA_CHUNK];
        input.extend_from_slice(b".x\r\n.\r\n");
        let mut expected = vec![b'a'; DATA_CHUNK];
        expected.extend_from_slice(b".x\r\n");
        assert_eq!(data_of(&input, 100_000).await.unwrap(), expected);
        // The limit counts the unstuffed message.
        assert!(data_of(b"..\r\n.\r\n", 3).await.is_some());
        assert!(data_of(b"...\r\n.\r\n", 3).await.is_none());
        // No terminator: the stream ends, and so does the read.
        let mut reader: &[u8] = b"no end\r\n";
        assert!(matches!(
            read_data(&mut reader, 100, Duration::from_secs(1)).await,
            Err(ReadError::Closed)
        ));
    }

    #[tokio::test]
    async fn command_lines_are_bounded() {
        let mut long = vec![b'a'; MAX_COMMAND_LINE * 3];
        long.extend_from_slice(b"\r\nNOOP\r\n");
        let mut reader = &long[..];
        let idle = Duration::from_secs(1);
        assert!(matches!(
            read_command(&mut reader, idle).await,
            Ok(Line::TooLong)
        ));
        assert!(matches!(
            read_command(&mut reader, idle).await,
            Ok(Line::Complete(line)) if line == b"NOOP\r\n"
        ));
        let flood = vec![b'b'; MAX_DISCARD * 2];
        let mut reader = &flood[..];
        assert!(matches!(
            read_command(&mut reader, idle).await,
            Ok(Line::Flood)
        ));
    }

    #[test]
    fn path_and_text_helpers() {
        assert_eq!(header_safe("evil (x);\tby y"), "evil??x???by?y");
        assert_eq!(header_safe("[IPv6:::1]"), "[IPv6:::1]");
        assert_eq!(
            parse_path("<@a.example,@b.example:u@d.example> SIZE=1"),
            Some(("u@d.example".to_string(), " SIZE=1"))
        );
        assert_eq!(parse_path("<unclosed"), None);
        assert_eq!(
            parse_path("bare@x.example"),
            Some(("bare@x.example".into(), ""))
        );
        assert_eq!(strip_keyword("from:<a@b>", "FROM:"), Some("<a@b>"));
        assert_eq!(strip_keyword("FR", "FROM:"), None);
        assert_eq!(strip_keyword("FRé", "FROM:"), None);
        assert!(valid_address("ünï@例え.jp"));
        assert!(!valid_address("a b@c.d"));
        assert!(!valid_address("@c.d"));
        assert!(!valid_address("a@"));
        assert_eq!(printable("a\u{7}b", 10), "a?b");
        assert_eq!(printable("abcdef", 3), "abc");
    }

    #[tokio::test]
    async fn lettre_message_is_delivered_intact() {
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

        let server = Server::start(config()).await;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(server.addr.port())
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let subject = "紧急：账户凭证 — Ünïcode";
        let body = "Hello,\r\n.a line starting with a dot\r\n..two dots\r\n.\r\nlast line\r\n";
        let message = Message::builder()
            .from("Ann Example <ann@example.com>".parse().unwrap())
            .to("privacy@privacy.example".parse().unwrap())
            .subject(subject)
            .body(body.to_string())
            .unwrap();
        let formatted = message.formatted();
        let response = transport.send(message).await.unwrap();
        assert!(response.is_positive());
        assert!(
            response
                .message()
                .any(|line| line.contains("queued as msg-1")),
            "{response:?}"
        );

        let got = server.sink.messages();
        assert_eq!(got.len(), 1);
        let (envelope, raw) = &got[0];
        assert_eq!(envelope.mail_from, "ann@example.com");
        assert_eq!(
            envelope.rcpt_to,
            vec!["privacy@privacy.example".to_string()]
        );
        assert_eq!(envelope.peer.unwrap().ip().to_string(), "127.0.0.1");

        // The message as lettre built it, byte for byte, after our trace header. lettre always
        // sends `<CRLF>.<CRLF>` after the message, so one empty line more arrives (RFC 5321:
        // the CRLF before the final dot ends the message's last line).
        let mut formatted = formatted;
        formatted.extend_from_slice(b"\r\n");
        assert!(
            raw.ends_with(&formatted),
            "{}",
            String::from_utf8_lossy(raw)
        );
        let header = std::str::from_utf8(&raw[..raw.len() - formatted.len()]).unwrap();
        assert!(header.starts_with("Received: from "), "{header}");
        assert!(header.contains("([127.0.0.1])"), "{header}");
        assert!(header.contains("by mx.test with ESMTP"), "{header}");
        assert!(header.ends_with("\r\n"));

        let parsed = mail_parser::MessageParser::default().parse(raw).unwrap();
        assert_eq!(parsed.subject(), Some(subject));
        assert_eq!(parsed.body_text(0).unwrap().trim_end(), body.trim_end());
        assert!(parsed.header_raw("Received").is_some());
        server.stop().await;
    }

    #[tokio::test]
    async fn raw_session_pipelining_and_dot_unstuffing() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        let ehlo = c.cmd("EHLO client.test", 250).await;
        for ext in [
            "mx.test greets client.test",
            "SIZE 10000",
            "8BITMIME",
            "PIPELINING",
            "SMTPUTF8",
        ] {
            assert!(ehlo.contains(ext), "{ehlo}");
        }
        // Pipelined: the whole envelope in one write.
        c.send(
            "MAIL FROM:<Ann@Example.com> SIZE=500 BODY=8BITMIME SMTPUTF8\r\n\
             RCPT TO:<privacy@PRIVACY.example>\r\n\
             RCPT TO:<ops@security.example>\r\n\
             RCPT TO:<privacy@privacy.example>\r\n\
             DATA\r\n",
        )
        .await;
        c.expect(250).await;
        c.expect(250).await;
        c.expect(250).await;
        c.expect(250).await;
        c.expect(354).await;
        // A dot-stuffed line, a lone "." after a bare LF (data, not the end), then the end.
        c.send(
            "Subject: Children\r\n\r\n..leading dot\r\nbare\n.\nstill data\r\n. not end\r\n.\r\n",
        )
        .await;
        let ok = c.expect(250).await;
        assert!(ok.contains("queued as msg-1"), "{ok}");
        c.cmd("RSET", 250).await;
        c.cmd("NOOP", 250).await;
        c.cmd("VRFY someone", 252).await;
        c.cmd("HELP", 214).await;
        c.cmd("QUIT", 221).await;
        c.expect_closed().await;

        let got = server.sink.messages();
        assert_eq!(got.len(), 1);
        let (envelope, raw) = &got[0];
        assert_eq!(envelope.mail_from, "Ann@Example.com");
        assert_eq!(
            envelope.rcpt_to,
            vec![
                "privacy@privacy.example".to_string(),
                "ops@security.example".to_string()
            ]
        );
        let raw = String::from_utf8(raw.clone()).unwrap();
        assert!(raw.contains("with UTF8SMTP;"), "{raw}");
        assert!(
            raw.ends_with(
                "Subject: Children\r\n\r\n.leading dot\r\nbare\n.\nstill data\r\n not end\r\n"
            ),
            "{raw}"
        );
        server.stop().await;
    }

    #[tokio::test]
    async fn helo_gives_plain_smtp_and_works() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        let helo = c.cmd("HELO old.client", 250).await;
        assert!(!helo.contains("SIZE"), "{helo}");
        c.cmd("MAIL FROM:<>", 250).await;
        c.cmd("RCPT TO:<postmaster>", 250).await;
        c.cmd("DATA", 354).await;
        c.send("Subject: bounce\r\n\r\nhi\r\n.\r\n").await;
        c.expect(250).await;
        let got = server.sink.messages();
        assert_eq!(got[0].0.mail_from, "");
        assert_eq!(got[0].0.rcpt_to, vec!["postmaster".to_string()]);
        assert!(String::from_utf8_lossy(&got[0].1).contains("with SMTP;"));
        server.stop().await;
    }

    #[tokio::test]
    async fn declared_size_over_the_limit_is_refused() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        let text = c.cmd("MAIL FROM:<a@example.com> SIZE=10001", 552).await;
        assert!(text.contains("5.3.4"), "{text}");
        c.cmd("MAIL FROM:<a@example.com> SIZE=nonsense", 501).await;
        c.cmd("MAIL FROM:<a@example.com> FOO=bar", 555).await;
        // Still sane: the same sender without the size goes through.
        c.cmd("MAIL FROM:<a@example.com> SIZE=10000", 250).await;
        server.stop().await;
    }

    #[tokio::test]
    async fn oversize_data_is_refused_and_the_connection_stays_sane() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 250).await;
        c.cmd("DATA", 354).await;
        let line = format!("{}\r\n", "x".repeat(98));
        for _ in 0..150 {
            c.send(&line).await;
        }
        // One very long line too, longer than a read chunk.
        c.send(format!("{}\r\n", "y".repeat(50_000))).await;
        c.send(".\r\n").await;
        let text = c.expect(552).await;
        assert!(text.contains("5.3.4"), "{text}");
        // The transaction is gone...
        c.cmd("RCPT TO:<privacy@privacy.example>", 503).await;
        // ...and a message within the limit still goes through.
        c.cmd("NOOP", 250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 250).await;
        c.cmd("DATA", 354).await;
        c.send("Subject: small\r\n\r\nok\r\n.\r\n").await;
        c.expect(250).await;
        let got = server.sink.messages();
        assert_eq!(got.len(), 1);
        assert!(String::from_utf8_lossy(&got[0].1).contains("Subject: small"));
        server.stop().await;
    }

    #[tokio::test]
    async fn message_exactly_at_the_limit_is_accepted() {
        let mut cfg = config();
        cfg.max_message_bytes = 100;
        let server = Server::start(cfg).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 250).await;
        c.cmd("DATA", 354).await;
        // 98 octets and CRLF: exactly 100.
        c.send(format!("{}\r\n.\r\n", "z".repeat(98))).await;
        c.expect(250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 250).await;
        c.cmd("DATA", 354).await;
        c.send(format!("{}\r\n.\r\n", "z".repeat(99))).await;
        c.expect(552).await;
        server.stop().await;
    }

    #[tokio::test]
    async fn foreign_domains_are_refused() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        for rcpt in [
            "<someone@other.example>",
            "<x@sub.privacy.example>",
            "<x@privacy.example.evil>",
            "<x@[127.0.0.1]>",
        ] {
            let text = c.cmd(&format!("RCPT TO:{rcpt}"), 550).await;
            assert!(text.contains("5.1.1"), "{text}");
        }
        c.cmd("RCPT TO:<not an address>", 501).await;
        c.cmd("RCPT TO:<>", 501).await;
        c.cmd("RCPT TO:<x@privacy.example> NOTIFY=NEVER", 555).await;
        c.cmd("RCPT TO:<Someone@PRIVACY.example.>", 250).await;
        c.cmd("RCPT TO:<@relay.example:x@security.example>", 250)
            .await;
        c.cmd("DATA", 354).await;
        c.send("Subject: x\r\n\r\nx\r\n.\r\n").await;
        c.expect(250).await;
        assert_eq!(
            server.sink.messages()[0].0.rcpt_to,
            vec![
                "Someone@privacy.example".to_string(),
                "x@security.example".to_string()
            ]
        );
        server.stop().await;
    }

    #[tokio::test]
    async fn commands_out_of_order_get_503() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("MAIL FROM:<a@example.com>", 503).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 503).await;
        c.cmd("DATA", 503).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        c.cmd("DATA", 503).await;
        c.cmd("MAIL FROM:<b@example.com>", 503).await;
        // EHLO again resets the transaction.
        c.cmd("EHLO client.test", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 503).await;
        c.cmd("MAIL FROM:<b@example.com>", 250).await;
        c.cmd("RSET", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 503).await;
        server.stop().await;
    }

    #[tokio::test]
    async fn too_many_recipients_get_452() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        for n in 0..3 {
            c.cmd(&format!("RCPT TO:<r{n}@privacy.example>"), 250).await;
        }
        let text = c.cmd("RCPT TO:<r3@privacy.example>", 452).await;
        assert!(text.contains("4.5.3"), "{text}");
        // A repeat of an accepted one is no new recipient.
        c.cmd("RCPT TO:<r0@privacy.example>", 250).await;
        c.cmd("DATA", 354).await;
        c.send("\r\nbody\r\n.\r\n").await;
        c.expect(250).await;
        assert_eq!(server.sink.messages()[0].0.rcpt_to.len(), 3);
        server.stop().await;
    }

    #[tokio::test]
    async fn garbage_and_unknown_commands() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.send(b"\x00\xff\xfe garbage\r\n").await;
        c.expect(500).await;
        c.cmd("\u{1b}[31mred", 500).await;
        c.cmd("FOO bar", 500).await;
        c.cmd("", 500).await;
        c.cmd("GET / HTTP/1.1", 500).await;
        c.cmd("EXPN staff", 502).await;
        c.cmd("STARTTLS", 502).await;
        c.cmd("AUTH PLAIN", 502).await;
        c.cmd("HELO", 501).await;
        c.cmd("EHLO", 501).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("MAIL TO:<a@example.com>", 501).await;
        c.cmd("MAIL FROM:<a@example.com", 501).await;
        c.cmd("MAIL FROM:<no-at-sign>", 501).await;
        c.cmd("DATA now", 501).await;
        // Lower case and bare LF line endings are fine.
        c.send("noop\n").await;
        c.expect(250).await;
        c.cmd("QUIT", 221).await;
        c.expect_closed().await;
        server.stop().await;
    }

    #[tokio::test]
    async fn too_many_errors_close_the_connection() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        for _ in 0..MAX_ERRORS - 1 {
            c.cmd("XYZZY", 500).await;
        }
        c.send("XYZZY\r\n").await;
        c.expect(500).await;
        let text = c.expect(421).await;
        assert!(text.contains("Too many errors"), "{text}");
        c.expect_closed().await;
        server.stop().await;
    }

    #[tokio::test]
    async fn over_long_lines_are_refused() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        // Exactly the limit, CRLF included, is fine.
        c.cmd(&format!("NOOP {}", "a".repeat(MAX_COMMAND_LINE - 7)), 250)
            .await;
        let text = c
            .cmd(&format!("NOOP {}", "a".repeat(MAX_COMMAND_LINE - 6)), 500)
            .await;
        assert!(text.contains("Line too long"), "{text}");
        let text = c.cmd(&format!("EHLO {}", "b".repeat(20_000)), 500).await;
        assert!(text.contains("Line too long"), "{text}");
        // The rest of the long line was not taken for commands.
        c.cmd("NOOP", 250).await;
        // A flood without a line end closes the connection.
        c.send("c".repeat(MAX_DISCARD + 10_000)).await;
        let text = c.expect(500).await;
        assert!(text.contains("closing"), "{text}");
        c.expect_closed().await;
        server.stop().await;
    }

    #[tokio::test]
    async fn idle_clients_are_closed_with_421() {
        let mut cfg = config();
        cfg.idle_timeout = Duration::from_millis(200);
        let server = Server::start(cfg).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        let text = c.expect(421).await;
        assert!(text.contains("4.4.2"), "{text}");
        c.expect_closed().await;

        // The same in the middle of DATA.
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("MAIL FROM:<a@example.com>", 250).await;
        c.cmd("RCPT TO:<privacy@privacy.example>", 250).await;
        c.cmd("DATA", 354).await;
        c.send("Subject: half\r\n").await;
        c.expect(421).await;
        c.expect_closed().await;
        assert!(server.sink.messages().is_empty());
        server.stop().await;
    }

    #[tokio::test]
    async fn connections_over_the_limit_get_421() {
        let mut cfg = config();
        cfg.max_connections = 2;
        let server = Server::start(cfg).await;
        let a = Client::open(server.addr).await;
        let mut b = Client::open(server.addr).await;
        let mut c = Client::connect(server.addr).await;
        let text = c.expect(421).await;
        assert!(text.contains("4.3.2"), "{text}");
        c.expect_closed().await;

        // A slot comes free when a client leaves.
        drop(a);
        b.cmd("NOOP", 250).await;
        let mut freed = false;
        for _ in 0..50 {
            let mut d = Client::connect(server.addr).await;
            let (code, _) = d.reply().await.unwrap();
            if code == 220 {
                d.cmd("QUIT", 221).await;
                freed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(freed, "a slot was freed");
        server.stop().await;
    }

    #[tokio::test]
    async fn sink_errors_map_to_554_and_451() {
        let server = Server::start(config()).await;
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        for (header, code) in [("X-Test: reject", 554), ("X-Test: later", 451)] {
            c.cmd("MAIL FROM:<a@example.com>", 250).await;
            c.cmd("RCPT TO:<privacy@privacy.example>", 250).await;
            c.cmd("DATA", 354).await;
            c.send(format!("{header}\r\n\r\nbody\r\n.\r\n")).await;
            c.expect(code).await;
        }
        c.cmd("NOOP", 250).await;
        assert!(server.sink.messages().is_empty());
        server.stop().await;
    }

    #[tokio::test]
    async fn shutdown_stops_the_listener_and_tells_clients() {
        let server = Server::start(config()).await;
        let addr = server.addr;
        let mut c = Client::open(addr).await;
        c.cmd("EHLO client.test", 250).await;
        server.stop().await;
        let text = c.expect(421).await;
        assert!(text.contains("shutting down"), "{text}");
        c.expect_closed().await;
        assert!(TcpStream::connect(addr).await.is_err());
    }

    #[tokio::test]
    async fn bad_configuration_is_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut cfg = config();
        cfg.hostname = "two words".into();
        let err = serve(listener, cfg, Arc::new(Collect::default()), async {})
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut cfg = config();
        cfg.max_connections = 0;
        assert!(
            serve(listener, cfg, Arc::new(Collect::default()), async {})
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn random_bytes_never_break_the_server() {
        let server = Server::start(config()).await;
        let mut seed = 0x0123_4567_89AB_CDEFu64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let words: &[&[u8]] = &[
            b"EHLO x\r\n",
            b"MAIL FROM:<a@b.c>\r\n",
            b"RCPT TO:<p@privacy.example>\r\n",
            b"DATA\r\n",
            b".\r\n",
            b"\r\n",
            b"\n",
            b"\r",
            b".",
            b"RSET\r\n",
            b"\xff\x00",
            b"MAIL FROM:<a@b.c> SIZE=99999999999999999999999\r\n",
            b"RCPT TO:<@:>\r\n",
            b"RCPT TO:<\r\n",
        ];
        for _ in 0..30 {
            let mut c = Client::connect(server.addr).await;
            let mut bytes = Vec::new();
            for _ in 0..(next() % 60) {
                if next() % 3 == 0 {
                    bytes.extend((0..next() % 40).map(|_| next() as u8));
                } else {
                    bytes.extend_from_slice(words[(next() % words.len() as u64) as usize]);
                }
            }
            let _ = c.writer.write_all(&bytes).await;
            let _ = c.writer.shutdown().await;
            // Read whatever comes back until the server closes.
            let mut sink = Vec::new();
            let _ = timeout(Duration::from_secs(10), c.reader.read_to_end(&mut sink))
                .await
                .expect("the server closes a connection whose client has finished");
        }
        // Still serving.
        let mut c = Client::open(server.addr).await;
        c.cmd("EHLO client.test", 250).await;
        c.cmd("QUIT", 221).await;
        server.stop().await;
    }
}
