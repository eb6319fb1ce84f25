//! References matched through another identifier (`via` on a field): the export names a line
//! manager by assignment number while the company links staff by employee number. The loader
//! stores the value as read; once every source is loaded, each such value is replaced by the key
//! of the row whose `via` column holds it. A value no row holds is left as read, so that the
//! orphan check reports it with its file and line.
use rusqlite::Connection;

use super::Load;
use crate::mapping::MappingSet;

/// Replaces every `via` reference that matches by the referenced key; returns how many did.
pub fn resolve(conn: &Connection, set: &MappingSet, load: &Load) -> rusqlite::Result<usize> {
    let mut changed = 0;
    for (index, source) in set.sources.iter().enumerate() {
        let ids: Vec<i64> = load
            .sources
            .iter()
            .filter(|(_, run)| run.mapping == index)
            .map(|(id, _)| *id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        for target in &source.targets {
            for field in &target.fields {
                let (Some(via), Some(r)) = (&field.via, &field.target.references) else {
                    continue;
                };
                let (t, c) = (&target.table.name, &field.target.name);
                let matched = format!(
                    "SELECT r.{key} FROM {rt} r WHERE r.{via} = {t}.{c}",
                    key = r.column,
                    rt = r.table
                );
                let sql = format!(
                    "UPDATE {t} SET {c} = ({matched})
                     WHERE {c} IS NOT NULL AND EXISTS ({matched})
                       AND {}",
                    crate::audit::lineage::from_sources(&ids)
                );
                changed += conn.execute(&sql, [])?;
            }
        }
    }
    Ok(changed)
}
