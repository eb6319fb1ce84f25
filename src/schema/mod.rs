//! The company schema: tables, code lists and foreign keys.
