//! Paging parameters, validated once for every list route: `limit` within the route's
//! bounds (`invalid_parameter` naming `limit` otherwise) and an opaque `cursor`.

use super::problem::ApiError;
use crate::store::Cursor;

/// A route's page sizes: what it returns without `limit`, and the most it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub default: u32,
    pub max: u32,
}

/// The page size a request asks for, within `bounds`.
pub fn limit(value: Option<i64>, bounds: Bounds) -> Result<u32, ApiError> {
    let value = value.unwrap_or(i64::from(bounds.default));
    u32::try_from(value)
        .ok()
        .filter(|v| (1..=bounds.max).contains(v))
        .ok_or_else(|| ApiError::invalid("limit", format!("limit must be between 1 and {}", bounds.max)))
}

/// One page's request: how many, and after which item.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

impl Page {
    pub fn parse(limit_param: Option<i64>, cursor: Option<&str>, bounds: Bounds) -> Result<Self, ApiError> {
        Ok(Self { limit: limit(limit_param, bounds)?, cursor: cursor.map(Cursor::decode).transpose()? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_the_bounds_are_refused_naming_the_field() {
        let bounds = Bounds { default: 20, max: 50 };
        assert_eq!(limit(None, bounds).unwrap(), 20);
        assert_eq!(limit(Some(1), bounds).unwrap(), 1);
        assert_eq!(limit(Some(50), bounds).unwrap(), 50);
        for bad in [0, -1, 51, i64::MAX] {
            let err = limit(Some(bad), bounds).unwrap_err();
            assert_eq!((err.code, err.field.as_deref()), ("invalid_parameter", Some("limit")), "{bad}");
        }
        assert_eq!(Page::parse(None, Some("not a cursor"), bounds).unwrap_err().field.as_deref(), Some("cursor"));
    }
}
