//! Why a booking operation was refused: the domain's one refusal model (`crate::refusal`),
//! under the names the booking code has always used.

pub use crate::refusal::{Failure, Kind, Refusal};

pub type BookingError = Failure;
pub type BookingResult<T> = Result<T, Failure>;
