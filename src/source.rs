//! Input files and positions in them.
//!
//! Every input the tool reads is kept as a [`SourceFile`] in a [`Sources`] set so that
//! diagnostics can point at `file:line:column` and show a snippet. Positions are
//! 1-based line and column (columns count characters), plus the byte offset.

use serde::Serialize;

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

    /// Byte offset of a position in a file (for snippets); clamps to the text.
    pub fn byte_offset(&self, loc: Location) -> usize {
        let text = &self.get(loc.file).text;
        let mut line = 1u32;
        let mut start = 0usize;
        if loc.pos.line > 1 {
            for (i, b) in text.bytes().enumerate() {
                if b == b'\n' {
                    line += 1;
                    if line == loc.pos.line {
                        start = i + 1;
                        break;
                    }
                }
            }
        }
        let rest = &text[start..];
        let col = loc.pos.column.saturating_sub(1) as usize;
        start
            + rest
                .char_indices()
                .nth(col)
                .map_or(rest.len().min(rest.find('\n').unwrap_or(rest.len())), |(i, _)| i)
    }

    /// `file:line:column` for humans and machine formats.
    pub fn describe(&self, loc: Location) -> LocationView {
        LocationView {
            file: self.get(loc.file).name.clone(),
            line: loc.pos.line,
            column: loc.pos.column,
        }
    }
}

/// A location as written in reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationView {
    /// File name as given on the command line.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl std::fmt::Display for LocationView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
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
