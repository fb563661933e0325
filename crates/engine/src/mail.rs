//! Sending e-mail: the [`Mailer`] the notice dispatcher hands letters to, over SMTP (with TLS
//! unless the URL says otherwise) or into a directory of `.eml` files (the demo, dry runs).

use std::path::PathBuf;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::EngineError;

/// One e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The one-click unsubscribe address (RFC 8058), if the mail is a subscription's.
    pub unsubscribe: Option<String>,
}

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (connection refused, 4xx).
    #[error("{0}")]
    Transient(String),
    /// Will not work however often it is tried (5xx, a bad address).
    #[error("{0}")]
    Permanent(String),
}

/// Where letters go.
#[async_trait]
pub trait Mailer: Send + Sync + std::fmt::Debug {
    /// Sends one mail.
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

fn message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| MailError::Permanent(format!("the recipient address cannot be used: {e}")))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN);
    if let Some(url) = &mail.unsubscribe {
        builder = builder
            .header(ListUnsubscribe(url.clone()))
            .header(ListUnsubscribePost);
    }
    builder
        .body(mail.body.clone())
        .map_err(|e| MailError::Permanent(format!("the message cannot be built: {e}")))
}

fn sender(from: &str) -> Result<Mailbox, EngineError> {
    from.parse().map_err(|e| EngineError::Invalid {
        field: "mail.from",
        message: format!(
            "`{from}` is not a sender address ({e}); write e.g. `Privacy <privacy@example.com>`"
        ),
    })
}

/// Sends over SMTP. `smtps://…` is SMTP over TLS, `smtp://…?tls=required` requires STARTTLS,
/// plain `smtp://host:port` is unencrypted (a relay on the same host or a test sink).
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    endpoint: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl SmtpMailer {
    /// A mailer for `url` sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Self, EngineError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| EngineError::Invalid {
                field: "mail.smtp_url",
                message: format!(
                    "the SMTP URL cannot be used ({e}); write smtps://USER:PASS@HOST:465, smtp://HOST:587?tls=required or smtp://HOST:PORT"
                ),
            })?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        // The endpoint without credentials, for logs.
        let endpoint = url
            .rsplit_once('@')
            .map(|(scheme, host)| {
                let scheme = scheme.split("://").next().unwrap_or("smtp");
                format!("{scheme}://{host}")
            })
            .unwrap_or_else(|| url.to_string());
        Ok(Self {
            transport,
            from: sender(from)?,
            endpoint,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = message(&self.from, mail)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                MailError::Permanent(e.to_string())
            } else {
                MailError::Transient(e.to_string())
            }
        })
    }
}

/// Writes each mail as an `.eml` file into a directory instead of sending it.
#[derive(Debug, Clone)]
pub struct DirMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl DirMailer {
    /// A mailer writing into `dir` (created if missing) as `from`.
    pub fn new(dir: PathBuf, from: &str) -> Result<Self, EngineError> {
        std::fs::create_dir_all(&dir).map_err(|e| {
            EngineError::Unavailable(format!(
                "the mail directory {} cannot be created: {e}",
                dir.display()
            ))
        })?;
        Ok(Self {
            dir,
            from: sender(from)?,
        })
    }

    /// The directory mails are written to.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for DirMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = message(&self.from, mail)?;
        AsyncFileTransport::<Tokio1Executor>::new(&self.dir)
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Transient(e.to_string()))
    }
}
