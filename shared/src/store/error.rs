use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

/// What went wrong talking to the table. Conflicts that the domain expects (a taken
/// email, a claimed time cell) are not here: they come back as [`super::TransactError`]
/// or [`StoreError::ConditionFailed`] and are mapped by the caller to a 409.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("conditional write failed")]
    ConditionFailed,
    #[error("invalid cursor: {0}")]
    Cursor(#[from] super::CursorError),
    #[error("stored item could not be mapped: {0}")]
    Corrupt(String),
    #[error("request rejected by DynamoDB: {code}: {message}")]
    Rejected { code: String, message: String },
    #[error("DynamoDB unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    pub fn from_sdk<E, R>(err: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        Self::sdk(err)
    }

    pub(crate) fn sdk<E, R>(err: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        match &err {
            SdkError::ServiceError(service) => {
                let code = service.err().code().unwrap_or("Unknown").to_owned();
                if code == "ConditionalCheckFailedException" {
                    return Self::ConditionFailed;
                }
                let message = service.err().message().unwrap_or_default().to_owned();
                Self::Rejected { code, message }
            }
            other => Self::Unavailable(format!("{other:?}")),
        }
    }

    pub(crate) fn codec(err: serde_dynamo::Error) -> Self {
        Self::Corrupt(err.to_string())
    }

    pub(crate) fn build(err: aws_sdk_dynamodb::error::BuildError) -> Self {
        Self::Corrupt(err.to_string())
    }
}
