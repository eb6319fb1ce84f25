//! Unique Pupil Numbers: 13 characters, a check letter then the DfE local authority code (394 for
//! Sunderland) then nine digits. The check letter follows the CIN census rule 1510
//! (docs/domain.md §2.2): weight characters 2-13 by their position, sum mod 23, map through
//! `ABCDEFGHJKLMNPQRTUVWXYZ`.

const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// The check letter for the twelve digits that follow it.
pub fn check_letter(digits: &[u8; 12]) -> char {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (i as u32 + 2))
        .sum();
    char::from(LETTERS[(sum % 23) as usize])
}

/// A valid UPN for LA `la` (3 digits) and a serial below 10^9, unique per serial, written
/// into `out` without allocating (it runs once per child row).
pub fn push_upn(out: &mut String, la: u16, serial: u64) {
    let mut digits = [b'0'; 12];
    let mut la = u64::from(la % 1000);
    let mut serial = serial % 1_000_000_000;
    for i in (0..12).rev() {
        let source = if i >= 3 { &mut serial } else { &mut la };
        digits[i] = b'0' + (*source % 10) as u8;
        *source /= 10;
    }
    out.push(check_letter(&digits));
    out.extend(digits.iter().map(|b| char::from(*b)));
}

/// [`push_upn`] into a new string.
#[cfg(test)]
fn upn(la: u16, serial: u64) -> String {
    let mut s = String::with_capacity(13);
    push_upn(&mut s, la, serial);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent restatement of rule 1510 for the test.
    fn rule_1510(upn: &str) -> bool {
        let chars: Vec<char> = upn.chars().collect();
        let sum: u32 = (1..13)
            .map(|i| chars[i].to_digit(10).unwrap_or(99) * (i as u32 + 1))
            .sum();
        "ABCDEFGHJKLMNPQRTUVWXYZ".chars().nth((sum % 23) as usize) == Some(chars[0])
    }

    #[test]
    fn check_letters_follow_rule_1510() {
        // 3*2+9*3+4*4 = 49, 49 mod 23 = 3 -> 'D'.
        assert_eq!(upn(394, 0), "D394000000000");
        for serial in [1, 42, 999_999_999, 123_456_789] {
            let u = upn(394, serial);
            assert_eq!(u.len(), 13);
            assert_eq!(&u[1..4], "394");
            assert!(rule_1510(&u), "{u}");
        }
    }
}
