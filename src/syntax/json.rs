//! JSON into a [`Value`] tree: a small strict parser that keeps line and column.
//!
//! serde_json does not report where values start; this parser does, in one linear
//! pass, and stops at the nesting limit instead of overflowing the stack.

use super::{Key, Kind, Limits, SyntaxError, Value};
use crate::source::Pos;
use std::thread::ScopedJoinHandle;

/// Parses one JSON document.
pub fn parse_json(text: &str, limits: &Limits) -> Result<Value, SyntaxError> {
    Parser::new(text, limits, None).document()
}

/// Parses one JSON document like [`parse_json`], but hands each item of the top-level
/// object's (first) `key` list to `each` as soon as it is read instead of keeping it: in
/// the tree returned that list is empty. A million-node graph file is then never one tree.
///
/// With `parts` above 1, other threads read the list too, each from a guessed item start
/// (a line that starts with `{`) until the next guess, into sinks of their own made by
/// `sink`. A part read this way is used only when the reading from the start of the
/// document arrives exactly at its first item (so it was one), and only if it read
/// without error and within the value limit; otherwise that stretch is read again. The
/// result is the same for any `parts`: the tree, every item with its position and in its
/// order, and the error. The sinks come back in the order of the items they were given.
pub fn parse_json_streaming<S: Send>(
    text: &str,
    limits: &Limits,
    key: &str,
    parts: usize,
    sink: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, Value) + Sync,
) -> Result<(Value, Vec<S>), SyntaxError> {
    let starts = guess_item_starts(text.as_bytes(), parts);
    // The streamed list is the value of a key of the top-level object: its items are at
    // depth 2.
    const ITEM_DEPTH: usize = 2;
    std::thread::scope(|scope| {
        let (sink, each) = (&sink, &each);
        let handles = (0..starts.len())
            .map(|k| {
                let (start, later) = (starts[k], &starts[k + 1..]);
                // A thread that cannot be started (a process limit) leaves its part to
                // this one.
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || {
                        read_part(text, limits, start, later, ITEM_DEPTH, sink(), each).ok()
                    })
                    .ok()
            })
            .collect();
        let mut items = Items {
            starts: &starts,
            next: 0,
            handles,
            sinks: Vec::new(),
            own: false,
            sink,
            each,
            max_values: limits.max_values,
        };
        let tree = Parser::new(text, limits, Some(Stream { key, items: &mut items })).document()?;
        Ok((tree, items.sinks))
    })
}

/// Up to `parts - 1` offsets where a list item may start: the first `{` of a line (JSON
/// has no raw line break inside a string, so a line starts between tokens), one past
/// each `k / parts` of the text, increasing.
fn guess_item_starts(bytes: &[u8], parts: usize) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::new();
    for k in 1..parts {
        let mut at = (bytes.len() / parts * k).max(starts.last().map_or(0, |&s| s + 1));
        let end = (bytes.len() / parts * (k + 1)).min(bytes.len());
        while let Some(newline) = bytes
            .get(at..end)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        {
            at += newline + 1;
            // The line's first byte that is not blank; the next line break is searched
            // for from there, so a run of blank lines is looked at once.
            match bytes[at..end].iter().position(|b| !b.is_ascii_whitespace()) {
                Some(first) if bytes[at + first] == b'{' => {
                    starts.push(at + first);
                    break;
                }
                Some(first) => at += first,
                None => break,
            }
        }
    }
    starts
}

/// What one thread read of a streamed list, from its guessed start.
struct Part<S> {
    sink: S,
    /// Where it stopped: past the `]` that ends the list (`ended`), or at a later part's
    /// start; its value count is the part's own.
    at: Mark,
    ended: bool,
}

/// Reads list items at `depth` from `start` until the list's `]` or the first of
/// `later` that is an item start.
fn read_part<S>(
    text: &str,
    limits: &Limits,
    start: usize,
    later: &[usize],
    depth: usize,
    mut sink: S,
    each: &impl Fn(&mut S, Value),
) -> Result<Part<S>, SyntaxError> {
    let mut p = Parser::new(text, limits, None);
    p.count_lines_to(start);
    p.i = start;
    let mut next = 0;
    loop {
        each(&mut sink, p.value(depth, None)?);
        if p.list_ends()? {
            return Ok(Part {
                sink,
                at: p.mark(),
                ended: true,
            });
        }
        p.skip_ws();
        while later.get(next).is_some_and(|&s| s < p.i) {
            next += 1;
        }
        if later.get(next) == Some(&p.i) {
            return Ok(Part {
                sink,
                at: p.mark(),
                ended: false,
            });
        }
    }
}

/// Where the items of one top-level list go ([`parse_json_streaming`]).
struct Stream<'a> {
    key: &'a str,
    items: &'a mut dyn StreamItems,
}

/// The receiving end of a streamed list.
trait StreamItems {
    /// An item this thread read.
    fn item(&mut self, value: Value);
    /// Where the part read from `at`, an item start, stopped (with the values counted up to
    /// there), and whether that ended the list: if one was read and it can be used when
    /// `values` values were read before it.
    fn part_at(&mut self, at: usize, values: usize) -> Option<(Mark, bool)>;
}

/// The sinks of a streamed list and the threads reading its parts.
struct Items<'p, 'scope, S, N, E> {
    starts: &'p [usize],
    /// The first of `starts` this thread has not passed.
    next: usize,
    handles: Vec<Option<ScopedJoinHandle<'scope, Option<Part<S>>>>>,
    sinks: Vec<S>,
    /// Whether the last sink is this thread's own.
    own: bool,
    sink: &'p N,
    each: &'p E,
    max_values: usize,
}

impl<S, N: Fn() -> S, E: Fn(&mut S, Value)> StreamItems for Items<'_, '_, S, N, E> {
    fn item(&mut self, value: Value) {
        if !self.own {
            self.sinks.push((self.sink)());
            self.own = true;
        }
        let sink = self.sinks.last_mut().expect("a sink was just made");
        (self.each)(sink, value);
    }

    fn part_at(&mut self, at: usize, values: usize) -> Option<(Mark, bool)> {
        while self.starts.get(self.next).is_some_and(|&s| s < at) {
            self.next += 1;
        }
        if self.starts.get(self.next) != Some(&at) {
            return None;
        }
        let handle = self.handles[self.next].take()?;
        self.next += 1;
        let mut part = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        part.at.values += values;
        // Past the limit, the reading from the start stops inside this part, with its error.
        if part.at.values > self.max_values {
            return None;
        }
        self.sinks.push(part.sink);
        self.own = false;
        Some((part.at, part.ended))
    }
}

/// Incremental column tracking: positions are asked for in increasing order, so a
/// position's column is counted from the previous one's (on a one-line file too).
#[derive(Clone, Copy)]
struct Cursor {
    offset: usize,
    column: u32,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    /// The current line and where it starts. JSON has line breaks only between tokens (a
    /// raw one in a string is an error where it stands), so `skip_ws` counts them all.
    line: u32,
    line_start: usize,
    cursor: Cursor,
    limits: Limits,
    values: usize,
    /// Keys seen so far: a file repeats a few keys millions of times.
    keys: rustc_hash::FxHashMap<String, std::sync::Arc<str>>,
    /// The top-level list whose items are handed over as they are read, until it is.
    stream: Option<Stream<'a>>,
}

/// A reading position: the parser's place, its line and column state, and the values read.
#[derive(Clone, Copy)]
struct Mark {
    i: usize,
    line: u32,
    line_start: usize,
    cursor: Cursor,
    values: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, limits: &Limits, stream: Option<Stream<'a>>) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            i: 0,
            line: 1,
            line_start: 0,
            cursor: Cursor { offset: 0, column: 1 },
            limits: *limits,
            values: 0,
            keys: rustc_hash::FxHashMap::default(),
            stream,
        }
    }

    /// The whole text as one JSON value.
    fn document(mut self) -> Result<Value, SyntaxError> {
        self.skip_ws();
        let v = self.value(0, None)?;
        self.skip_ws();
        if self.i < self.bytes.len() {
            return Err(self.error("unexpected text after the JSON value"));
        }
        Ok(v)
    }

    fn mark(&self) -> Mark {
        Mark {
            i: self.i,
            line: self.line,
            line_start: self.line_start,
            cursor: self.cursor,
            values: self.values,
        }
    }

    fn resume(&mut self, at: Mark) {
        (self.i, self.line, self.line_start, self.cursor, self.values) =
            (at.i, at.line, at.line_start, at.cursor, at.values);
    }

    /// Sets the line state for `offset` by counting line breaks from the start of the text
    /// (where a part's reading starts; a forward parse counts them as it skips whitespace).
    fn count_lines_to(&mut self, offset: usize) {
        let before = &self.bytes[..offset];
        self.line = u32::try_from(before.iter().filter(|&&b| b == b'\n').count())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        self.line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    }

    fn pos(&mut self) -> Pos {
        let target = self.i.min(self.bytes.len());
        if target < self.line_start {
            // Never happens in a forward parse; recount from the start to stay correct.
            self.count_lines_to(target);
        }
        if self.cursor.offset < self.line_start || target < self.cursor.offset {
            self.cursor = Cursor {
                offset: self.line_start,
                column: 1,
            };
        }
        // Characters, not UTF-8 continuation bytes.
        let span = &self.bytes[self.cursor.offset..target];
        self.cursor.column += span.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u32;
        self.cursor.offset = target;
        Pos {
            line: self.line,
            column: self.cursor.column,
        }
    }

    fn error(&mut self, message: &str) -> SyntaxError {
        let what = match self.bytes.get(self.i) {
            None => "end of input".to_owned(),
            Some(_) => {
                let rest = String::from_utf8_lossy(&self.bytes[self.i..(self.i + 4).min(self.bytes.len())]);
                format!("`{}`", rest.chars().next().unwrap_or('?').escape_default())
            }
        };
        SyntaxError {
            pos: self.pos(),
            message: format!("{message} (found {what})"),
            limit: false,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b'\n' => {
                    self.i += 1;
                    self.line = self.line.saturating_add(1);
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    /// A value; the items of a list go to `stream` instead of the tree when one is given.
    fn value(&mut self, depth: usize, stream: Option<&mut dyn StreamItems>) -> Result<Value, SyntaxError> {
        self.values += 1;
        let pos = self.pos();
        if self.values > self.limits.max_values {
            return Err(SyntaxError {
                pos,
                message: format!("more than {} values in one document", self.limits.max_values),
                limit: true,
            });
        }
        let kind = match self.bytes.get(self.i) {
            Some(b'{') | Some(b'[') if depth >= self.limits.max_depth => {
                return Err(SyntaxError {
                    pos,
                    message: format!("nesting deeper than {} levels", self.limits.max_depth),
                    limit: true,
                });
            }
            Some(b'{') => self.object(depth)?,
            Some(b'[') => {
                let mut items = Vec::new();
                match stream {
                    Some(stream) => self.streamed_array(depth, stream)?,
                    None => self.array(depth, &mut items)?,
                }
                Kind::Seq(items)
            }
            Some(b'"') => Kind::Str(self.string()?.into_owned()),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.error("expected a JSON value")),
        };
        Ok(Value { pos, kind })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Result<Kind, SyntaxError> {
        if self.bytes[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(kind)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        self.i += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Kind::Map(entries));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.i) != Some(&b'"') {
                return Err(self.error("expected a string key"));
            }
            let pos = self.pos();
            let text = self.string()?;
            let name = match self.keys.get(text.as_ref()) {
                Some(shared) => std::sync::Arc::clone(shared),
                None => {
                    let shared: std::sync::Arc<str> = text.as_ref().into();
                    if self.keys.len() < 1024 {
                        self.keys.insert(text.into_owned(), std::sync::Arc::clone(&shared));
                    }
                    shared
                }
            };
            self.skip_ws();
            if self.bytes.get(self.i) != Some(&b':') {
                return Err(self.error("expected `:` after the key"));
            }
            self.i += 1;
            self.skip_ws();
            let value = match self.stream.take_if(|s| depth == 0 && *s.key == *name) {
                Some(stream) => self.value(depth + 1, Some(stream.items))?,
                None => self.value(depth + 1, None)?,
            };
            entries.push((Key { pos, name }, value));
            self.skip_ws();
            match self.bytes.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Kind::Map(entries));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// A list, into `items`.
    fn array(&mut self, depth: usize, items: &mut Vec<Value>) -> Result<(), SyntaxError> {
        if self.list_is_empty() {
            return Ok(());
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1, None)?);
            if self.list_ends()? {
                return Ok(());
            }
        }
    }

    /// A streamed list: each item handed over, or taken from a part another thread read
    /// when this reading arrives at that part's start.
    fn streamed_array(&mut self, depth: usize, stream: &mut dyn StreamItems) -> Result<(), SyntaxError> {
        if self.list_is_empty() {
            return Ok(());
        }
        loop {
            self.skip_ws();
            if let Some((at, ended)) = stream.part_at(self.i, self.values) {
                self.resume(at);
                if ended {
                    return Ok(());
                }
                continue;
            }
            stream.item(self.value(depth + 1, None)?);
            if self.list_ends()? {
                return Ok(());
            }
        }
    }

    /// At a list's `[`: `true` past the `]` of an empty list, else `false` past the `[`.
    fn list_is_empty(&mut self) -> bool {
        self.i += 1;
        self.skip_ws();
        let empty = self.bytes.get(self.i) == Some(&b']');
        if empty {
            self.i += 1;
        }
        empty
    }

    /// After a list item: `true` past the closing `]`, `false` past a `,`.
    fn list_ends(&mut self) -> Result<bool, SyntaxError> {
        self.skip_ws();
        match self.bytes.get(self.i) {
            Some(b',') => {
                self.i += 1;
                Ok(false)
            }
            Some(b']') => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(self.error("expected `,` or `]`")),
        }
    }

    /// A string, borrowed from the input when it has no escapes.
    fn string(&mut self) -> Result<std::borrow::Cow<'a, str>, SyntaxError> {
        self.i += 1; // opening quote
        let start = self.i;
        // Fast path: no escapes. The text is UTF-8 and the quote is ASCII, so the slice up
        // to it is a string as it stands.
        let run = self.bytes[start..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(self.bytes.len() - start);
        self.i = start + run;
        match self.bytes.get(self.i) {
            Some(b'"') => {
                self.i += 1;
                return Ok(std::borrow::Cow::Borrowed(&self.text[start..start + run]));
            }
            Some(0..=0x1F) => return Err(self.error("control character in a string")),
            _ => {}
        }
        let mut out: Vec<u8> = self.bytes[start..self.i].to_vec();
        loop {
            match self.bytes.get(self.i) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return String::from_utf8(out)
                        .map(std::borrow::Cow::Owned)
                        .map_err(|_| self.error("invalid UTF-8 in a string"));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = self.bytes.get(self.i).copied();
                    self.i += 1;
                    match esc {
                        Some(b'"') => out.push(b'"'),
                        Some(b'\\') => out.push(b'\\'),
                        Some(b'/') => out.push(b'/'),
                        Some(b'b') => out.push(8),
                        Some(b'f') => out.push(12),
                        Some(b'n') => out.push(b'\n'),
                        Some(b'r') => out.push(b'\r'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'u') => {
                            let c = self.unicode_escape()?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.error("invalid escape"));
                        }
                    }
                }
                Some(0..=0x1F) => return Err(self.error("control character in a string")),
                Some(&b) => {
                    out.push(b);
                    self.i += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .bytes
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.error("truncated \\u escape"))?;
        let s = std::str::from_utf8(digits).ok();
        let v = s
            .and_then(|s| u32::from_str_radix(s, 16).ok())
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.i += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if self.bytes.get(self.i..self.i + 2) != Some(b"\\u") {
                return Err(self.error("unpaired surrogate in \\u escape"));
            }
            self.i += 2;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.error("unpaired surrogate in \\u escape"));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn number(&mut self) -> Result<Kind, SyntaxError> {
        let start = self.i;
        if self.bytes.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.bytes.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - s
        };
        let int_start = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && self.bytes[int_start] == b'0') {
            return Err(self.error("invalid number"));
        }
        let mut float = false;
        if self.bytes.get(self.i) == Some(&b'.') {
            self.i += 1;
            float = true;
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.bytes.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            float = true;
            if matches!(self.bytes.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let s = std::str::from_utf8(&self.bytes[start..self.i]).unwrap_or("0");
        if !float && let Ok(i) = s.parse::<i64>() {
            return Ok(Kind::Int(i));
        }
        s.parse::<f64>()
            .map(Kind::Float)
            .map_err(|_| self.error("invalid number"))
    }
}
