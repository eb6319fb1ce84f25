//! Mapping files: how council exports become records of the company schema.
