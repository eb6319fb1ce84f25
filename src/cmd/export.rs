//! `handover export`: the company's tables written back out as files, one CSV per table (or, with
//! `--format xml`, one XML file as a layout of the schema's `[[export.xml]]` lays it out) in the
//! columns, order and date format the company's schema declares (`[export]`): for a company
//! that must submit a statutory return, the return from what transferred; for an auditor, the
//! round trip (export, load again, compare) that shows nothing was lost.
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::cli::GlobalOpts;
use crate::exit::Exit;

/// The long help of `handover export` (`--help`), ending with examples.
pub const LONG_ABOUT: &str = "Write the tables of a company database as files: one CSV per \
table, with the columns in the order the company's schema declares them, the rows in \
primary-key order, and dates in the schema's `[export] date_format`. With --format xml, one \
XML file in a layout the schema's `[[export.xml]]` declares: the first, or the one --layout \
names (for the SSDA903 schema: `dfe`, the DfE's layout; `handover`, handover's own). A table \
the layout has no element for is not written: the summary names it with its rows and the reason \
the schema gives, and counts the values the layout holds once (in the head) that differ and the \
rows a reader of the layout would not recognise.\n\n\
The schema is the one the run's mapping set names, or --schema DIR. Every file is written \
atomically and readable by its owner only. Exit codes: 0 written; 2 usage or input error.\n\n\
Examples:\n  \
handover export company.db --out export/\n  \
handover export company.db --out return/ --schema mappings/companies/ssda903\n  \
handover export return.db --out return-xml/ --format xml\n  \
handover export return.db --out return-xml/ --format xml --layout handover";

/// Arguments of `handover export`.
#[derive(Debug, clap::Args)]
#[command(long_about = LONG_ABOUT)]
pub struct Args {
    /// The company database.
    #[arg(value_name = "DB")]
    pub db: PathBuf,
    /// The folder to write the files into (created if missing; must be empty unless --force).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The company schema folder, instead of the one the run's mapping set names.
    #[arg(long, value_name = "DIR")]
    pub schema: Option<PathBuf>,
    /// Write into a folder that already holds files (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
    /// `csv`: one CSV per table; `xml`: one XML file in a layout the schema's `[[export.xml]]`
    /// declares (such as the SSDA903 return's XML forms).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// With --format xml: the layout, by its `[[export.xml]] name` (default: the first the
    /// schema declares; for the SSDA903 schema `dfe`, the DfE's layout, or `handover`).
    #[arg(long, value_name = "NAME")]
    pub layout: Option<String>,
}

/// What `handover export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One CSV file per table.
    Csv,
    /// One XML file, as a layout of `[[export.xml]]` lays it out.
    Xml,
}

/// Runs `handover export`.
pub fn run(args: &Args, global: &GlobalOpts) -> anyhow::Result<Exit> {
    if args.layout.is_some() && args.format != Format::Xml {
        bail!("--layout names an XML layout; it needs --format xml");
    }
    let conn = super::report::open_db(&args.db)?;
    let schema_dir = match &args.schema {
        Some(dir) => dir.clone(),
        None => recorded_schema(&conn)?,
    };
    let loaded = crate::schema::load(&schema_dir)?;
    if loaded.has_errors() {
        let lines: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        bail!("the company schema has errors:\n{}", lines.join("\n"));
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("failed to create `{}`", args.out.display()))?;
    let occupied = std::fs::read_dir(&args.out)?.next().is_some();
    if occupied && !args.force {
        bail!(
            "`{}` is not empty; use --force to write into it",
            args.out.display()
        );
    }
    let (written, not_carried) = match args.format {
        Format::Csv => (
            crate::export::export(&conn, &loaded.schema, &args.out)?,
            Vec::new(),
        ),
        Format::Xml => {
            let layout = layout(&loaded.schema, args.layout.as_deref(), &schema_dir)?;
            let x = crate::export::xml::export(&conn, &loaded.schema, layout, &args.out)?;
            (x.written, x.not_carried)
        }
    };
    if !global.quiet {
        summary(&written, &not_carried, &args.out)?;
    }
    Ok(Exit::Clean)
}

/// The layout `--layout` names, or the schema's first.
fn layout<'s>(
    schema: &'s crate::schema::Schema,
    name: Option<&str>,
    dir: &std::path::Path,
) -> anyhow::Result<&'s crate::schema::XmlExport> {
    let layouts = &schema.export.xml;
    let Some(first) = layouts.first() else {
        bail!(
            "the company schema `{}` declares no XML layout (`[[export.xml]]`, docs/schema.md)",
            dir.display()
        );
    };
    let Some(name) = name else {
        return Ok(first);
    };
    layouts.iter().find(|l| l.name == name).ok_or_else(|| {
        let names: Vec<&str> = layouts.iter().map(|l| l.name.as_str()).collect();
        anyhow::anyhow!(
            "the company schema `{}` declares no XML layout `{name}`; it declares: {}",
            dir.display(),
            names.join(", ")
        )
    })
}

/// Prints each file and table written, what the layout did not carry, and the totals.
fn summary(
    written: &[crate::export::Written],
    not_carried: &[crate::export::carried::NotCarried],
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let files: std::collections::BTreeSet<&str> = written.iter().map(|w| w.file.as_str()).collect();
    let mut stdout = std::io::stdout().lock();
    for w in written {
        writeln!(stdout, "{:>9} rows  {}  ({})", w.rows, w.file, w.table)?;
    }
    let rows: u64 = written.iter().map(|w| w.rows).sum();
    writeln!(
        stdout,
        "wrote {} file{}, {rows} rows, to {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        out.display()
    )?;
    for line in crate::export::carried::summary(not_carried) {
        writeln!(stdout, "{line}")?;
    }
    Ok(())
}

/// The schema folder of the mapping set the run recorded.
fn recorded_schema(conn: &rusqlite::Connection) -> anyhow::Result<PathBuf> {
    let run = crate::audit::run::read(conn)?
        .ok_or_else(|| anyhow::anyhow!("the database holds no handover run"))?;
    let loaded =
        crate::mapping::load(std::path::Path::new(&run.mappings_dir)).with_context(|| {
            format!(
                "the run's mapping folder `{}` cannot be read; give --schema DIR",
                run.mappings_dir
            )
        })?;
    let dir = loaded.set.schema.dir.clone();
    if dir.as_os_str().is_empty() {
        bail!(
            "the run's mapping folder `{}` names no readable company schema; give --schema DIR",
            run.mappings_dir
        );
    }
    Ok(dir)
}
