//! `handover schema`: check a company schema folder on its own, and print what it declares: its
//! reference in Markdown (`--doc`, which docs/companies/ holds for the shipped schema) or the SQL
//! it becomes (`--sql`). The schema is named directly (`--schema DIR`) or through the mapping set
//! that maps onto it (`--mappings DIR`).
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// The long help of `handover schema` (`--help`), ending with examples.
pub const LONG_ABOUT: &str = "Check a company schema folder and print its reference or its SQL.\n\n\
A schema folder declares the company's tables, code lists, rules and service figures \
(docs/schema.md). Without --doc or --sql this checks the folder and prints its diagnostics, as \
`handover validate` does for a mapping set.\n\n\
Exit codes: 0 the schema is sound; 1 it has errors (each with file, line and column); 2 usage \
error (such as no such folder).\n\n\
Examples:\n  \
handover schema --schema mappings/companies/together-for-children\n  \
handover schema --schema mappings/companies/together-for-children --doc > docs/companies/together-for-children.md\n  \
handover schema --mappings mappings/sunderland --sql";

/// Arguments of `handover schema`.
#[derive(Debug, clap::Args)]
#[command(long_about = LONG_ABOUT)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["schema", "mappings"]))]
pub struct Args {
    /// The company schema folder.
    #[arg(long, value_name = "DIR")]
    pub schema: Option<PathBuf>,
    /// A mapping set: the schema folder its `[schema]` names.
    #[arg(long, value_name = "DIR")]
    pub mappings: Option<PathBuf>,
    /// Print the schema's reference in Markdown.
    #[arg(long, conflicts_with = "sql")]
    pub doc: bool,
    /// Print the SQL (`CREATE TABLE` statements) the schema becomes.
    #[arg(long)]
    pub sql: bool,
}

/// Runs `handover schema`.
pub fn run(args: &Args, _global: &GlobalOpts) -> anyhow::Result<Exit> {
    let dir = match (&args.schema, &args.mappings) {
        (Some(dir), _) => dir.clone(),
        (None, Some(mappings)) => schema_of(mappings)?,
        (None, None) => bail!("give --schema DIR or --mappings DIR"),
    };
    let loaded = crate::schema::load(&dir)?;
    let (text, exit) = if loaded.has_errors() || !(args.doc || args.sql) {
        let exit = if loaded.has_errors() {
            Exit::Findings
        } else {
            Exit::Clean
        };
        (problems(&dir, &loaded), exit)
    } else if args.doc {
        (crate::schema::docs::markdown(&loaded.schema), Exit::Clean)
    } else {
        (loaded.schema.company_ddl(), Exit::Clean)
    };
    // The status is decided before output; a closed pipe does not change it (#9).
    crate::exit::to_stdout(|out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(exit)
}

/// The schema's diagnostics, one per line, and a closing count.
fn problems(dir: &std::path::Path, loaded: &crate::schema::LoadedSchema) -> String {
    let mut text: String = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{d}\n"))
        .collect();
    text.push_str(&format!(
        "{} problems in the schema of {} ({} tables, {} code lists, {} rules, {} figures)\n",
        loaded.diagnostics.len(),
        dir.display(),
        loaded.schema.tables.len(),
        loaded.schema.code_lists.len(),
        loaded.schema.rules.len(),
        loaded.schema.figures.len()
    ));
    text
}

/// The schema folder a mapping set names.
fn schema_of(mappings: &std::path::Path) -> anyhow::Result<PathBuf> {
    let loaded = crate::mapping::load(mappings)?;
    let files = &loaded.set.schema.dir;
    if files.as_os_str().is_empty() {
        let lines: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        return Err(anyhow::anyhow!(lines.join("\n")))
            .with_context(|| format!("`{}` names no readable company schema", mappings.display()));
    }
    Ok(files.clone())
}
