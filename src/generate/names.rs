//! Small lists of common first names and surnames for synthetic people. Some carry accented
//! letters (all inside Windows-1252) so that staff.csv really holds non-ASCII bytes (#2). No list
//! pairs names with real people: names are drawn independently.
use super::rng::Rng;

const FEMALE: &[&str] = &[
    "Olivia",
    "Amelia",
    "Emily",
    "Jessica",
    "Sophie",
    "Charlotte",
    "Hannah",
    "Chloé",
    "Zoë",
    "Renée",
    "Siobhán",
    "Grace",
    "Lucy",
    "Megan",
    "Rachel",
    "Sarah",
    "Laura",
    "Emma",
    "Claire",
    "Helen",
    "Karen",
    "Joanne",
    "Nicola",
    "Louise",
    "Gemma",
    "Amy",
    "Leah",
    "Ellie",
    "Niamh",
    "Aoife",
    "Mia",
    "Isla",
    "Noëlle",
    "Anaïs",
    "Beth",
    "Katie",
    "Jodie",
    "Paula",
    "Susan",
    "Julie",
];

const MALE: &[&str] = &[
    "Oliver", "Jack", "Harry", "George", "Thomas", "James", "William", "Daniel", "Joshua", "Liam",
    "Ryan", "Adam", "Michael", "David", "Mark", "Paul", "Andrew", "Stephen", "Gary", "Craig",
    "Lee", "Darren", "Björn", "José", "Seán", "Ciarán", "Noah", "Leo", "Ethan", "Kyle", "Connor",
    "Callum", "Jamie", "Luke", "Matthew", "Peter", "John", "Raphaël", "Chris", "Simon",
];

const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Robson",
    "Thompson",
    "Walker",
    "White",
    "Johnson",
    "Wright",
    "Scott",
    "Hall",
    "Green",
    "Harrison",
    "Bell",
    "Charlton",
    "Dixon",
    "Armstrong",
    "Milburn",
    "Atkinson",
    "Robinson",
    "Young",
    "Clark",
    "Watson",
    "Hughes",
    "Kelly",
    "Murphy",
    "O'Neill",
    "Patel",
    "Khan",
    "Ahmed",
    "Begum",
    "Nowak",
    "Müller",
    "Brontë",
    "Nuñez",
    "Lefèvre",
    "Ó Briain",
    "Håkansson",
    "Gray",
    "Turner",
    "Moore",
    "Jackson",
    "Lambton",
    "Hodgson",
    "Stoker",
    "Pearson",
    "Ridley",
    "Forster",
];

/// A synthetic person's names.
#[derive(Debug, Clone, Copy)]
pub struct Name {
    /// Family name.
    pub surname: &'static str,
    /// Given name (one).
    pub forenames: &'static str,
}

/// Draws a name; `female` picks the list of given names.
pub fn draw(rng: &mut Rng, female: bool) -> Name {
    let forenames = if female {
        rng.pick(FEMALE)
    } else {
        rng.pick(MALE)
    };
    Name {
        surname: rng.pick(SURNAMES),
        forenames,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_fits_windows_1252() {
        for n in FEMALE.iter().chain(MALE).chain(SURNAMES) {
            let (_, _, lossy) = encoding_rs::WINDOWS_1252.encode(n);
            assert!(!lossy, "{n}");
        }
    }
}
