//! The placement providers: the "Providers" sheet of placements.xlsx (60 providers, a fixed
//! reference table that does not grow with `--scale`) and the choice of a provider whose type
//! suits a placement type (903 rules 527-531 and 550).
use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::Ctx;
use super::out::xl;
use super::rng::Rng;

const PROVIDER_STREAM: u64 = 5;
/// Providers: PRV0000 (PR0) then PR1 x15, PR2 x5, PR3 x2, PR4 x23, PR5 x14.
pub const PROVIDERS: u32 = 60;

/// A provider whose type suits the placement type (903 rules 527-531, 550).
pub fn provider_for(rng: &mut Rng, place: &str) -> u32 {
    let pr1 = 1 + rng.below(15) as u32;
    let pr2 = 16 + rng.below(5) as u32;
    let pr3 = 21 + rng.below(2) as u32;
    let pr4 = 23 + rng.below(23) as u32;
    let pr5 = 46 + rng.below(14) as u32;
    let roll = rng.below(10);
    match place {
        "P1" => 0,
        "K1" => pr2,
        "R2" | "R5" => pr3,
        "H5" | "P2" | "P3" | "R3" => {
            if roll < 6 {
                pr4
            } else {
                pr5
            }
        }
        "K2" | "R1" | "S1" => {
            if roll < 3 {
                pr1
            } else {
                pr4
            }
        }
        p if p.starts_with('A') => {
            if roll < 7 {
                pr1
            } else {
                pr5
            }
        }
        _ => match roll {
            0..=6 => pr1,
            7 | 8 => pr4,
            _ => pr5,
        },
    }
}

/// A Sunderland-like postcode such as `SR4 7QT`.
pub fn postcode(rng: &mut Rng) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let district = 1 + rng.below(6);
    let sector = 1 + rng.below(9);
    let a = LETTERS[rng.below(LETTERS.len() as u64) as usize] as char;
    let b = LETTERS[rng.below(LETTERS.len() as u64) as usize] as char;
    format!("SR{district} {sector}{a}{b}")
}

const PROVIDER_NAMES: &[&str] = &[
    "Foster Care Service",
    "Children's Home",
    "Family Placements",
    "Care Services",
    "Residential Care",
    "Supported Lodgings",
    "Fostering Agency",
];
const PLACES: &[&str] = &[
    "Wearside",
    "Roker",
    "Hendon",
    "Hylton",
    "Pallion",
    "Southwick",
    "Doxford",
    "Silksworth",
    "Fulwell",
    "Washington",
    "Houghton",
    "Hetton",
    "Ryhope",
    "Seaburn",
    "Millfield",
];

fn provider_type(i: u32) -> &'static str {
    match i {
        0 => "PR0",
        1..=15 => "PR1",
        16..=20 => "PR2",
        21 | 22 => "PR3",
        23..=45 => "PR4",
        _ => "PR5",
    }
}

/// One row of the Providers sheet.
pub struct Provider {
    /// Provider Name.
    pub name: String,
    /// Ofsted URN (7 digits); none for PR0.
    pub urn: Option<String>,
    /// Provider Type: the 903 placement provider code PR0-PR5.
    pub kind: &'static str,
    /// Postcode.
    pub postcode: String,
}

/// Provider `i` (0..60), drawn from its own stream: the Providers sheet and the SSDA903 return's
/// PLACE_PROVIDER and URN read the same provider.
pub fn provider(ctx: &Ctx, i: u32) -> Provider {
    let mut rng = Rng::for_entity(ctx.seed, PROVIDER_STREAM, u64::from(i));
    let kind = provider_type(i);
    let name = match kind {
        "PR0" => "Parent or person with parental responsibility".to_string(),
        "PR1" => format!(
            "Sunderland City Council {} {}",
            rng.pick(PLACES),
            rng.pick(PROVIDER_NAMES)
        ),
        "PR2" => format!(
            "{} Council {}",
            [
                "Durham County",
                "Gateshead",
                "South Tyneside",
                "North Tyneside",
                "Newcastle City"
            ][(i - 16) as usize],
            rng.pick(PROVIDER_NAMES)
        ),
        "PR3" => format!("{} NHS Foundation Trust", rng.pick(PLACES)),
        _ => format!("{} {} Ltd", rng.pick(PLACES), rng.pick(PROVIDER_NAMES)),
    };
    let urn = (kind != "PR0").then(|| format!("{}", 1_000_000 + rng.below(9_000_000)));
    Provider {
        name,
        urn,
        kind,
        postcode: postcode(&mut rng),
    }
}

/// Writes the "Providers" sheet and returns its data rows.
pub fn write(ctx: &Ctx, wb: &mut Workbook, path: &Path) -> anyhow::Result<u64> {
    let ws = wb.add_worksheet();
    xl(ws.set_name("Providers"), path)?;
    for (c, h) in [
        "Provider ID",
        "Provider Name",
        "URN",
        "Provider Type",
        "Postcode",
    ]
    .iter()
    .enumerate()
    {
        xl(ws.write_string(0, c as u16, *h), path)?;
    }
    for i in 0..PROVIDERS {
        let p = provider(ctx, i);
        let r = i + 1;
        xl(ws.write_string(r, 0, format!("PRV{i:04}")), path)?;
        xl(ws.write_string(r, 1, p.name), path)?;
        if let Some(urn) = p.urn {
            xl(ws.write_string(r, 2, urn), path)?;
        }
        xl(ws.write_string(r, 3, p.kind), path)?;
        xl(ws.write_string(r, 4, p.postcode), path)?;
    }
    Ok(u64::from(PROVIDERS))
}
