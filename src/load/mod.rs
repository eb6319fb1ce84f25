//! Loading mapped rows into SQLite, with the exactly-once ledger.
