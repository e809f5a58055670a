//! Reports as tables, for the CSV exports: RFC 4180 quoting (commas, quotes and line
//! breaks inside a query survive a round trip through any CSV reader), written by the
//! `csv` crate rather than by hand.

/// A header row and data rows, every row as long as the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        Self { headers: headers.to_vec(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as CSV text (CRLF line ends, as RFC 4180 has them).
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        writer.write_record(&self.headers)?;
        for row in &self.rows {
            writer.write_record(row)?;
        }
        let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A number as a CSV cell.
pub fn cell(value: impl ToString) -> String {
    value.to_string()
}

/// An optional number as a CSV cell (empty when absent).
pub fn optional(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        let mut table = Table::new(&["query", "searches"]);
        table.row(vec!["piano, \"jazz\"\nlessons".into(), cell(3)]);
        table.row(vec!["plain".into(), cell(1)]);
        let text = table.to_csv().unwrap();
        assert_eq!(text, "query,searches\r\n\"piano, \"\"jazz\"\"\nlessons\",3\r\nplain,1\r\n");
    }
}
