//! Fitting text to a terminal's width (issue #13): prose wrapped between words, and table columns
//! narrowed (widest first) until the table fits, each cell then wrapped between words. A word is
//! split only when it is longer than its column could ever be made; ids and numbers are single
//! words, so they stay whole.

/// Display width of a string, in characters (reports hold no wide or combining characters that
/// matter here; tabled measures the same way for them).
fn width(s: &str) -> usize {
    s.chars().count()
}

/// `text` wrapped to lines of at most `max` characters, breaking between words; a word longer
/// than `max` is split.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let needed = width(&line) + usize::from(!line.is_empty()) + width(word);
            if needed <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest: Vec<char> = word.chars().collect();
            while rest.len() > max {
                lines.push(rest.drain(..max).collect());
            }
            line = rest.into_iter().collect();
        }
        lines.push(line);
    }
    lines
}

/// `text` wrapped to `max` when given, as one string.
pub fn wrap_text(text: &str, max: Option<usize>) -> String {
    match max {
        Some(m) => wrap(text, m).join("\n"),
        None => text.to_string(),
    }
}

/// Column widths (content only) for a table of `rows` (the header first) that fits in `total`
/// characters with single-line borders and a space either side of each cell, and whether those
/// spaces are kept: the natural widths when they fit; otherwise the widest column is narrowed,
/// one character at a time, never below its longest word; and when even that is too wide, the
/// spaces beside the borders go.
pub fn layout(rows: &[Vec<String>], total: usize) -> (Vec<usize>, bool) {
    let n = rows.first().map_or(0, Vec::len);
    let padded = columns(rows, total);
    if padded.iter().sum::<usize>() + 3 * n < total {
        return (padded, true);
    }
    (columns(rows, total + 2 * n), false)
}

/// Column widths (content only) for a table of `rows` (the header first) that fits in `total`
/// characters with single-line borders and a space either side of each cell: the natural widths
/// when they fit; otherwise the widest column is narrowed, one character at a time, never below
/// its longest word.
pub fn columns(rows: &[Vec<String>], total: usize) -> Vec<usize> {
    let n = rows.first().map_or(0, Vec::len);
    let natural = |c: usize| {
        rows.iter()
            .map(|r| r.get(c).map_or(0, |s| width(s)))
            .max()
            .unwrap_or(0)
    };
    let longest_word = |c: usize| {
        rows.iter()
            .filter_map(|r| r.get(c))
            .flat_map(|s| s.split_whitespace())
            .map(width)
            .max()
            .unwrap_or(0)
    };
    let mut widths: Vec<usize> = (0..n).map(natural).collect();
    let floor: Vec<usize> = (0..n).map(longest_word).collect();
    // Each column takes its content, a space either side and one border; plus the last border.
    let frame = 3 * n + 1;
    while widths.iter().sum::<usize>() + frame > total {
        let widest = (0..n)
            .filter(|&c| widths[c] > floor[c])
            .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)));
        match widest {
            Some(c) => widths[c] -= 1,
            None => break,
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_between_words_and_splits_only_overlong_words() {
        assert_eq!(
            wrap("open child in need case", 10),
            ["open child", "in need", "case"]
        );
        assert_eq!(wrap("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn columns_narrow_the_widest_first_but_never_below_a_word() {
        let rows = vec![
            vec![
                "control".to_string(),
                "what".to_string(),
                "actual".to_string(),
            ],
            vec![
                "staff_in_scope".to_string(),
                "Members of staff who transfer".to_string(),
                "825".to_string(),
            ],
        ];
        let w = columns(&rows, 40);
        assert_eq!(w.iter().sum::<usize>() + 10, 40);
        assert_eq!((w[0], w[2]), (14, 6), "{w:?}");
        assert_eq!(columns(&rows, 10), [14, 8, 6], "words stay whole");
    }
}
