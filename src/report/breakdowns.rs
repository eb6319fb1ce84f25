//! Breakdowns of what transferred, counted on the company tables: staff by directorate, team and
//! contract type; looked-after children's current placements by placement type and legal status;
//! child protection plans by category of abuse.
use rusqlite::Connection;
use serde::Serialize;

/// One breakdown: a count per value of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// Stable name, such as `staff_by_team`.
    pub name: String,
    /// What it counts, in words.
    pub title: String,
    /// The dimension (column) counted by.
    pub dimension: String,
    /// Counts per value, largest first, then by value.
    pub rows: Vec<BreakdownRow>,
}

/// One value of a breakdown and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakdownRow {
    /// The value (a code, a team code, a directorate); `(none)` for blanks.
    pub value: String,
    /// How many.
    pub count: i64,
}

const CURRENT_LAC: &str = "FROM placements p WHERE p.end_date IS NULL AND p.child_id IN
    (SELECT child_id FROM involvements WHERE involvement_type = 'looked_after' AND status = 'open')";
const OPEN_CP: &str = "FROM cp_plans c JOIN involvements i ON i.involvement_id = c.involvement_id
    WHERE i.involvement_type = 'child_protection' AND i.status = 'open'";

/// Every breakdown, in report order.
pub fn read(conn: &Connection) -> anyhow::Result<Vec<Breakdown>> {
    let specs: [(&str, &str, &str, &str); 6] = [
        (
            "staff_by_directorate",
            "Staff by directorate",
            "directorate",
            "FROM staff",
        ),
        ("staff_by_team", "Staff by team", "team_code", "FROM staff"),
        (
            "staff_by_contract_type",
            "Staff by contract type",
            "contract_type",
            "FROM staff",
        ),
        (
            "looked_after_by_placement_type",
            "Looked-after children by placement type (current placements)",
            "p.placement_type",
            CURRENT_LAC,
        ),
        (
            "looked_after_by_legal_status",
            "Looked-after children by legal status (current placements)",
            "p.legal_status",
            CURRENT_LAC,
        ),
        (
            "cp_plans_by_category",
            "Child protection plans by category of abuse",
            "c.category_of_abuse",
            OPEN_CP,
        ),
    ];
    specs
        .iter()
        .map(|(name, title, column, from)| {
            let sql = format!(
                "SELECT coalesce({column}, '(none)') AS v, count(*) AS n {from} GROUP BY v ORDER BY n DESC, v"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt
                .query_map([], |r| Ok(BreakdownRow { value: r.get(0)?, count: r.get(1)? }))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Breakdown {
                name: name.to_string(),
                title: title.to_string(),
                dimension: column.trim_start_matches("p.").trim_start_matches("c.").to_string(),
                rows,
            })
        })
        .collect()
}
