use custodian_store::StoreError;

/// What a service can refuse or fail with. The http crate maps each variant to one status.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Input that is not acceptable, naming the field.
    #[error("{message}")]
    Invalid {
        /// The offending field.
        field: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A nested input field is not acceptable (e.g. `data.traffic-data.duration_s`).
    #[error("{message}")]
    InvalidField {
        /// The offending field's path.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// One record of a batch is not acceptable; the whole batch is refused.
    #[error("record {index}: {message}")]
    InvalidRecord {
        /// Its position in the batch, from 0.
        index: usize,
        /// The offending field of that record.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A signed link or token that is forged, damaged or out of date; nothing was changed.
    #[error("{0}")]
    BadToken(String),
    /// The request is larger than accepted.
    #[error("{0}")]
    TooLarge(String),
    /// Nothing of that kind with that id exists for the caller (also what another tenant's id
    /// answers, so that existence cannot be inferred).
    #[error("no such {kind}")]
    NotFound {
        /// What was looked for.
        kind: &'static str,
    },
    /// The request conflicts with stored state.
    #[error("{0}")]
    Conflict(String),
    /// A concurrent write got there first; the engine prepares the write again.
    #[error("{0}")]
    Raced(String),
    /// No valid credentials.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Valid credentials without the needed scope.
    #[error("this API key lacks the `{0}` scope")]
    Forbidden(&'static str),
    /// A member of staff whose roles (or grants) do not allow the action; the message says
    /// what would.
    #[error("{0}")]
    NotPermitted(String),
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    Throttled {
        /// Seconds until attempts are counted afresh.
        retry_after: u64,
    },
    /// Too many requests of a kind from one source: the message says which and when to try
    /// again.
    #[error("{message}")]
    Limited {
        /// What was limited and what to do.
        message: String,
        /// Seconds until it may be tried again.
        retry_after: u64,
    },
    /// The password was right; the account's second factor (a TOTP or recovery code) is needed.
    #[error("enter the six-digit code of your authenticator app, or a recovery code")]
    SecondFactorRequired,
    /// The account is locked (a reported compromise, an administrator).
    #[error("this account is locked; reset its password to unlock it")]
    Locked,
    /// The master key does not belong to this database.
    #[error(
        "the master key does not match this database: it was created with another key. \
         Point --master-key-file (CUSTODIAN_MASTER_KEY_FILE) at the key file backed up with this \
         database; never start it with a new key"
    )]
    WrongMasterKey,
    /// The database is unreachable.
    #[error("{0}")]
    Unavailable(String),
    /// Any other storage failure (including a refused audit write).
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => EngineError::Conflict(m),
            StoreError::Raced(m) => EngineError::Raced(m),
            StoreError::Unavailable(m) => EngineError::Unavailable(m),
            other => EngineError::Store(other),
        }
    }
}
