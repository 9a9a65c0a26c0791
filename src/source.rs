//! Input files and positions in them.
//!
//! Every input the tool reads is kept as a [`SourceFile`] in a [`Sources`] set so that
//! diagnostics can point at `file:line:column` and show a snippet. Positions are
//! 1-based line and column (columns count characters), plus the byte offset.

/// A position in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A position together with the file it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index of the file in [`Sources`].
    pub file: u32,
    /// Line and column.
    pub pos: Pos,
}

/// One input file, kept whole for snippets.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to users (the path as given, or `<stdin>`).
    pub name: String,
    /// The text.
    pub text: String,
    /// Made when first asked for: only snippets and byte offsets need it, and most runs
    /// (JSON output, the built-in license data) ask for none.
    lines: std::sync::OnceLock<Lines>,
}

/// Where a file's lines start, and marks in its long lines.
#[derive(Debug, Clone)]
struct Lines {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// For each line longer than [`STRIDE`] bytes (in line order): the line, and the byte
    /// offset of every `STRIDE`-th character in it. A column is then found from the
    /// nearest mark, not by counting from the start of the line: a minified JSON graph is
    /// one line of millions of characters, and every finding in it has a column.
    marks: Vec<(usize, Vec<usize>)>,
}

impl Lines {
    fn of(text: &str) -> Self {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let ends = starts.iter().skip(1).copied().chain(std::iter::once(text.len()));
        let marks = starts
            .iter()
            .zip(ends)
            .enumerate()
            .filter(|(_, (start, end))| end - *start > STRIDE)
            .map(|(line, (&start, end))| {
                let marks = text[start..end]
                    .char_indices()
                    .step_by(STRIDE)
                    .map(|(i, _)| start + i)
                    .collect();
                (line, marks)
            })
            .collect();
        Self { starts, marks }
    }
}

/// Characters between two marks of a long line.
const STRIDE: usize = 1024;

impl SourceFile {
    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| Lines::of(&self.text))
    }

    /// The 0-based line that holds a byte offset.
    pub fn line_of(&self, byte: usize) -> usize {
        self.lines()
            .starts
            .partition_point(|&start| start <= byte)
            .saturating_sub(1)
    }

    /// The byte range of a 0-based line, including its line break.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let starts = &self.lines().starts;
        let start = *starts.get(line)?;
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        Some(start..end)
    }

    /// How many lines the file has.
    pub fn line_count(&self) -> usize {
        self.lines().starts.len()
    }
}

/// Every input file of a run.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its index.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> u32 {
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
        });
        u32::try_from(self.files.len() - 1).expect("fewer than 2^32 input files")
    }

    /// The file at `index`.
    pub fn get(&self, index: u32) -> &SourceFile {
        &self.files[index as usize]
    }

    /// All files, in the order they were added.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Byte offset of a position in a file; clamps to the end of its line.
    pub fn byte_offset(&self, loc: Location) -> usize {
        let file = self.get(loc.file);
        let lines = file.lines();
        let line = (loc.pos.line.max(1) as usize - 1).min(lines.starts.len() - 1);
        let start = lines.starts[line];
        let end = lines
            .starts
            .get(line + 1)
            .map_or(file.text.len(), |&e| e.saturating_sub(1));
        let col = loc.pos.column.saturating_sub(1) as usize;
        // Count from the last mark at or before the column (the line start on short lines).
        let (from, col) = match lines.marks.binary_search_by_key(&line, |m| m.0) {
            Ok(i) => {
                let marks = &lines.marks[i].1;
                let k = (col / STRIDE).min(marks.len() - 1);
                (marks[k], col - k * STRIDE)
            }
            Err(_) => (start, col),
        };
        let rest = &file.text[from..end.max(from)];
        from + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
    }

    /// The byte range of the token that starts at a location: a quoted string, or a plain
    /// value up to the next separator (what a diagnostic underlines).
    pub fn token_span(&self, loc: Location) -> std::ops::Range<usize> {
        let text = &self.get(loc.file).text;
        let start = self.byte_offset(loc);
        let rest = &text[start..];
        let len = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let mut escaped = false;
                rest.char_indices()
                    .skip(1)
                    .find(|&(_, c)| {
                        let end = c == q && !escaped;
                        escaped = q == '"' && c == '\\' && !escaped;
                        end || c == '\n'
                    })
                    .map_or(rest.len(), |(i, c)| i + c.len_utf8())
            }
            _ => rest.find(['\n', '\r', ',', '}', ']', '#']).unwrap_or(rest.len()),
        };
        let token = rest[..len].trim_end();
        start..start + token.len().max(usize::from(!rest.is_empty()))
    }
}

/// Line and column of a byte offset in `text`.
pub fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}
