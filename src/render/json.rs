//! `--format json`: the machine-readable report (`cli.md`, "JSON output").
//!
//! Written compactly (one line) and streamed: findings and nodes are written straight
//! from the report, in batches formatted on all cores, so a million-node report costs
//! little more memory than the report itself. `jq .` pretty-prints it.

use std::io::Write;
use std::ops::Range;

use serde::Serialize;

use super::{Outcome, Run};
use crate::checks::{Finding, FindingReader, Report, Severity};
use crate::error::InputError;
use crate::graph::Graph;
use crate::source::{Location, Sources};

/// The version of the JSON report format.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'static str,
    knowledge_base: &'a str,
}

#[derive(Serialize, Default)]
struct Summary {
    nodes: usize,
    edges: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// JSON written by hand for what a report has millions of (findings, nodes): the bytes
/// serde_json would write, without its byte-by-byte escaping loop for the strings (nearly
/// all) that need no escaping.
struct Out<'b>(&'b mut Vec<u8>);

impl Out<'_> {
    fn raw(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    fn str(&mut self, s: &str) {
        // No early exit, so the check runs over whole vectors.
        let plain = s
            .bytes()
            .fold(true, |plain, b| plain & (b >= 0x20) & (b != b'"') & (b != b'\\'));
        if plain {
            self.0.push(b'"');
            self.0.extend_from_slice(s.as_bytes());
            self.0.push(b'"');
        } else {
            serde_json::to_writer(&mut *self.0, s).expect("a string serialises into a Vec");
        }
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }

    fn strs<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) {
        self.0.push(b'[');
        for (i, s) in items.into_iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            self.str(s);
        }
        self.0.push(b']');
    }

    fn location(&mut self, sources: &Sources, loc: Location) {
        self.raw("{\"file\":");
        self.str(&sources.get(loc.file).name);
        write!(self.0, ",\"line\":{},\"column\":{}}}", loc.pos.line, loc.pos.column).expect("writing to a Vec");
    }

    /// A finding's (or unused exception's) keys up to `node`.
    fn finding_head(&mut self, code: &str, severity: Severity, node: &str) {
        self.raw("{\"code\":");
        self.str(code);
        self.raw(",\"severity\":");
        self.str(severity.as_str());
        self.raw(",\"node\":");
        self.str(node);
    }

    /// A finding's keys from `message` on.
    fn finding_tail(&mut self, message: &str, help: &str, sources: &Sources, loc: Location, suppressed: Option<&str>) {
        self.raw(",\"message\":");
        self.str(message);
        self.raw(",\"help\":");
        self.str(help);
        self.raw(",\"location\":");
        self.location(sources, loc);
        // The reason of the policy exception that accepts it (`cli.md`).
        if let Some(reason) = suppressed {
            self.raw(",\"suppressed\":");
            self.str(reason);
        }
        self.0.push(b'}');
    }

    fn finding(&mut self, graph: &Graph, sources: &Sources, f: &Finding) {
        self.finding_head(f.code.as_str(), f.severity, &graph.node(f.node).id);
        self.raw(",\"origins\":");
        self.strs(f.origins.iter().map(|&o| graph.node(o).id.as_str()));
        self.raw(",\"origin_licenses\":");
        self.strs(f.origin_licenses.iter().map(String::as_str));
        self.raw(",\"path\":[");
        for (i, hop) in f.path.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            self.raw("{\"id\":");
            self.str(&graph.node(hop.node).id);
            if let Some(via) = hop.via {
                self.raw(",\"via\":");
                self.str(via.as_str());
            }
            self.0.push(b'}');
        }
        self.0.push(b']');
        self.finding_tail(&f.message, &f.help, sources, f.location, f.suppressed.as_deref());
    }

    fn unused(&mut self, sources: &Sources, e: &crate::policy::Exception, text: &(String, &'static str)) {
        self.finding_head("unused-exception", Severity::Warning, &e.node);
        self.raw(",\"origins\":[],\"origin_licenses\":[],\"path\":[]");
        self.finding_tail(&text.0, text.1, sources, e.location, None);
    }

    fn node(&mut self, run: &Run<'_>, graph: &Graph, report: &Report, v: u32) {
        let node = graph.node(v);
        let nr = &report.nodes[v as usize];
        self.raw("{\"id\":");
        self.str(&node.id);
        self.raw(",\"kind\":");
        self.str(node.kind.as_str());
        self.raw(",\"license\":");
        self.opt_str(report.licenses[v as usize].canonical());
        self.raw(",\"use\":");
        self.opt_str(nr.intent.use_.map(|u| u.as_str()));
        self.raw(",\"distribute\":");
        self.str(nr.intent.distribute.as_str());
        self.raw(",\"obligations\":[");
        for (i, o) in report.obligations(v).into_iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            self.raw("{\"clause\":");
            self.str(o.clause);
            if let Some(t) = o.target {
                self.raw(",\"target\":");
                self.str(&run.kb.get(t).id);
            }
            self.raw(",\"origins\":");
            self.strs(o.origins.iter().map(|&x| graph.node(x).id.as_str()));
            self.0.push(b'}');
        }
        self.raw("],\"suggested_license\":");
        self.opt_str(
            nr.permitted
                .as_ref()
                .and_then(|p| p.first())
                .map(|&l| run.kb.get(l).id.as_str()),
        );
        self.0.push(b'}');
    }

    /// `cli.md` gives input errors exactly `code`, `message` and `location`: a hint (did
    /// you mean ...) is part of the message.
    fn input_error(&mut self, sources: &Sources, e: &InputError) {
        self.raw("{\"code\":");
        self.str(e.code.as_str());
        self.raw(",\"message\":");
        match &e.help {
            Some(help) => self.str(&format!("{} ({help})", e.message)),
            None => self.str(&e.message),
        }
        self.raw(",\"location\":");
        match e.location {
            Some(loc) => self.location(sources, loc),
            None => self.raw("null"),
        }
        self.0.push(b'}');
    }
}

/// Writes the JSON report: the keys of `cli.md` in their documented order.
pub fn write(run: &Run<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let tool = Tool {
        name: "mglint",
        version: env!("CARGO_PKG_VERSION"),
        knowledge_base: run.kb.fingerprint(),
    };
    let summary = match &run.outcome {
        Outcome::Unusable(_) => Summary::default(),
        Outcome::Checked { graph, report } => Summary {
            nodes: graph.nodes.len(),
            edges: graph.edge_count(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
    };
    write!(w, "{{\"schema_version\":{SCHEMA_VERSION},\"tool\":")?;
    serde_json::to_writer(&mut w, &tool)?;
    w.write_all(b",\"inputs\":")?;
    serde_json::to_writer(&mut w, run.inputs)?;
    w.write_all(b",\"license_files\":")?;
    serde_json::to_writer(&mut w, run.license_files)?;
    w.write_all(b",\"summary\":")?;
    serde_json::to_writer(&mut w, &summary)?;
    match &run.outcome {
        Outcome::Unusable(errors) => {
            w.write_all(b",\"findings\":[],\"nodes\":[],\"input_errors\":")?;
            let mut items = Items::kept(Vec::new());
            for e in errors.iter() {
                items.next().input_error(run.sources, e);
            }
            w.write_all(b"[")?;
            w.write_all(&items.buf)?;
            w.write_all(b"]")?;
        }
        Outcome::Checked { graph, report } => {
            w.write_all(b",\"findings\":")?;
            // Unused exceptions sit where their code sorts among the findings.
            let texts: Vec<(String, &'static str)> = report
                .unused_exceptions
                .iter()
                .map(super::unused_exception_text)
                .collect();
            let (n, u) = (report.keys().len(), texts.len());
            let split = report
                .keys()
                .partition_point(|k| (k.severity, k.code) <= (Severity::Warning, crate::checks::Code::UnusedException));
            write_array(
                &mut w,
                n + u,
                || report.reader(graph, run.kb),
                |reader, range, items| {
                    // Item `i` is finding `i` before the unused exceptions, `i - u` after them.
                    let finding_at = |i: usize| if i <= split { i } else { i.max(split + u) - u };
                    // A few at a time: each finding read holds its path.
                    for start in range.clone().step_by(FindingReader::CHUNK) {
                        let end = (start + FindingReader::CHUNK).min(range.end);
                        let read = reader.read(finding_at(start)..finding_at(end));
                        let mut found = read.iter();
                        for i in start..end {
                            if items.full() {
                                return i;
                            }
                            if (split..split + u).contains(&i) {
                                let k = i - split;
                                items
                                    .next()
                                    .unused(run.sources, &report.unused_exceptions[k], &texts[k]);
                            } else if let Some(f) = found.next() {
                                items.next().finding(graph, run.sources, f);
                            }
                        }
                    }
                    range.end
                },
            )?;
            // Node indices are in id order, so this is the documented order.
            w.write_all(b",\"nodes\":")?;
            write_array(
                &mut w,
                graph.nodes.len(),
                || (),
                |(), range, items| {
                    for i in range.clone() {
                        if items.full() {
                            return i;
                        }
                        items.next().node(run, graph, report, i as u32);
                    }
                    range.end
                },
            )?;
        }
    }
    w.write_all(b"}\n")?;
    w.flush()
}

/// A part of a JSON array being formatted: items separated by commas.
struct Items<'w> {
    buf: Vec<u8>,
    /// Whether an item comes before the next one in the array (which then needs a comma).
    after: bool,
    /// Where the items go as they are made, when they are made on the writing thread: a
    /// batch of huge items (a chain's findings with million-hop paths) is then never whole
    /// in memory. Parts made on other threads are kept and written in order.
    sink: Option<&'w mut dyn Write>,
    /// Bytes already handed to the sink.
    flushed: usize,
    error: Option<std::io::Error>,
}

impl<'w> Items<'w> {
    /// Bytes at which a streaming part hands its buffer to the writer.
    const FLUSH: usize = 1 << 16;
    /// Bytes at which a part kept in memory is full ([`Items::full`]). A hub's part holds
    /// about a megabyte; a chain's findings, each with a path as long as the chain, would
    /// otherwise make parts of gigabytes.
    const BUDGET: usize = 16 << 20;

    /// A part kept in memory, starting the array or after another part.
    fn kept(buf: Vec<u8>) -> Self {
        Self {
            buf,
            after: false,
            sink: None,
            flushed: 0,
            error: None,
        }
    }

    /// A part written to `sink` as it is made, `after` earlier items or not.
    fn streamed(buf: Vec<u8>, sink: &'w mut dyn Write, after: bool) -> Self {
        Self {
            after,
            sink: Some(sink),
            ..Self::kept(buf)
        }
    }

    /// Whether a part kept in memory holds [`Items::BUDGET`] bytes: its maker stops there,
    /// and the rest of its range is made on the writing thread, straight into the writer.
    /// A part that streams is never full.
    fn full(&self) -> bool {
        self.sink.is_none() && self.buf.len() >= Self::BUDGET
    }

    /// Where the next item goes (after a comma when it is not the first).
    fn next(&mut self) -> Out<'_> {
        if self.buf.len() >= Self::FLUSH
            && let Some(sink) = self.sink.as_mut()
        {
            if let Err(e) = sink.write_all(&self.buf) {
                self.error.get_or_insert(e);
            }
            self.flushed += self.buf.len();
            self.buf.clear();
        }
        if self.after {
            self.buf.push(b',');
        }
        self.after = true;
        Out(&mut self.buf)
    }

    /// All the bytes made.
    fn len(&self) -> usize {
        self.flushed + self.buf.len()
    }

    /// Writes what a streamed part still holds; the buffer comes back (empty) for reuse.
    fn finish(mut self) -> std::io::Result<Vec<u8>> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if let Some(sink) = self.sink {
            sink.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(self.buf)
    }
}

/// Writes a JSON array of `len` items; `format` writes the items of a range into
/// [`Items`] with a per-thread state made by `init`, and returns where it stopped: the
/// range's end, or an earlier item once a part kept in memory is full ([`Items::full`]).
/// Large arrays are formatted in batches, each batch split over worker threads (one per
/// core, started once per array) while the previous batch is written, and written in
/// order; the rest of a full part is formatted on the writing thread, straight into the
/// writer, before the next part. The output is the same as a sequential run, and the
/// memory is bounded by two batches of parts of at most [`Items::BUDGET`] bytes (plus an
/// item) each: buffers are reused and keep their capacity. A batch too small to split is
/// formatted straight into the writer, and an array under `PARALLEL_MIN` items starts no
/// thread at all.
fn write_array<W, S, I, F>(w: &mut W, len: usize, init: I, format: F) -> std::io::Result<()>
where
    W: Write,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, Range<usize>, &mut Items<'_>) -> usize + Sync,
{
    const BATCH: usize = 1 << 11;
    const PER_THREAD_MIN: usize = 512;
    // Below this many items, starting threads (and their allocator heaps) costs more than
    // it saves.
    const PARALLEL_MIN: usize = 8 * BATCH;
    let mut cores = if len < PARALLEL_MIN {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    let (init, format) = (&init, &format);
    // Formats `range` on this thread into the writer, after earlier items or not; returns
    // whether an item has been written since, and the bytes made.
    let stream = |w: &mut W, range: Range<usize>, after: bool, spare: &mut Vec<Vec<u8>>, own: &mut Option<S>| {
        let mut items = Items::streamed(spare.pop().unwrap_or_default(), w, after);
        let end = format(own.get_or_insert_with(init), range.clone(), &mut items);
        debug_assert_eq!(end, range.end, "a streamed part is never full");
        let (after, made) = (items.after, items.len());
        spare.push(items.finish()?);
        std::io::Result::Ok((after, made))
    };
    // Writes the parts of a batch in order, each followed by what its maker left.
    let write_parts = |w: &mut W,
                       parts: Vec<(Vec<u8>, Range<usize>)>,
                       after: &mut bool,
                       spare: &mut Vec<Vec<u8>>,
                       own: &mut Option<S>| {
        for (mut part, rest) in parts {
            if !part.is_empty() {
                if *after {
                    w.write_all(b",")?;
                }
                *after = true;
                w.write_all(&part)?;
            }
            part.clear();
            spare.push(part);
            if !rest.is_empty() {
                *after = stream(w, rest, *after, spare, own)?.0;
            }
        }
        std::io::Result::Ok(())
    };
    w.write_all(b"[")?;
    std::thread::scope(|scope| {
        // Whether an item has been written: a later part starts with a comma.
        let mut after = false;
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut own: Option<S> = None;
        // Bytes per item of the last batch: it sizes the next batch and its buffers.
        let mut per_item = 0;
        let mut workers: Vec<Worker> = Vec::new();
        let mut written: Vec<(Vec<u8>, Range<usize>)> = Vec::new();
        let mut start = 0;
        while start < len {
            // Items of a few kilobytes or more (long paths): fewer per batch, so that parts
            // seldom fill up.
            let step = match per_item {
                0 => BATCH,
                per_item => (cores * Items::BUDGET / 2 / per_item).clamp(1, BATCH),
            };
            let end = (start + step).min(len);
            // A thread is worth starting for `PER_THREAD_MIN` items, or for fewer large
            // ones that make 256 KiB.
            let worth = ((end - start) / PER_THREAD_MIN).max(((end - start) * per_item) >> 18);
            let mut threads = cores.min(worth).min(end - start).max(1);
            if threads > 1 {
                while workers.len() < threads {
                    let Some(worker) = Worker::start(scope, init, format) else {
                        // No more threads to be had (a process limit): use those there are.
                        cores = workers.len().max(1);
                        threads = threads.min(cores);
                        break;
                    };
                    workers.push(worker);
                }
            }
            if threads == 1 {
                write_parts(w, std::mem::take(&mut written), &mut after, &mut spare, &mut own)?;
                let made;
                (after, made) = stream(w, start..end, after, &mut spare, &mut own)?;
                per_item = made / (end - start);
                start = end;
                continue;
            }
            let chunk = (end - start).div_ceil(threads);
            let ranges: Vec<Range<usize>> = (0..threads)
                .map(|t| (start + t * chunk).min(end)..(start + (t + 1) * chunk).min(end))
                .collect();
            for (worker, range) in workers.iter().zip(&ranges) {
                worker.send(range.clone(), per_item, spare.pop().unwrap_or_default());
            }
            // The previous batch is written while this one is formatted.
            write_parts(w, std::mem::take(&mut written), &mut after, &mut spare, &mut own)?;
            written = workers
                .iter()
                .zip(ranges)
                .map(|(worker, range)| {
                    let (part, stopped) = worker.receive();
                    (part, stopped..range.end)
                })
                .collect();
            let made = written.iter().map(|(part, rest)| (part.len(), rest.len()));
            let (bytes, left) = made.fold((0, 0), |(b, l), (pb, pl)| (b + pb, l + pl));
            per_item = bytes / (end - start - left).max(1);
            start = end;
        }
        write_parts(w, written, &mut after, &mut spare, &mut own)
    })?;
    w.write_all(b"]")
}

/// A thread that formats the ranges of an array it is sent, with its own state, and sends
/// back each part.
struct Worker {
    work: std::sync::mpsc::Sender<(Range<usize>, usize, Vec<u8>)>,
    /// Each part, and where its maker stopped.
    done: std::sync::mpsc::Receiver<(Vec<u8>, usize)>,
}

impl Worker {
    /// `None` when no thread can be started.
    fn start<'s, S, I, F>(scope: &'s std::thread::Scope<'s, '_>, init: &'s I, format: &'s F) -> Option<Self>
    where
        I: Fn() -> S + Sync,
        F: Fn(&mut S, Range<usize>, &mut Items<'_>) -> usize + Sync,
    {
        let (work, todo) = std::sync::mpsc::channel::<(Range<usize>, usize, Vec<u8>)>();
        let (made, done) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new().spawn_scoped(scope, move || {
            let mut state = init();
            for (range, per_item, mut buf) in todo {
                // Sized from the previous batch's bytes per item (plus a little) the first
                // time: growing a buffer by doubling copied every byte of the report once
                // more, and fresh memory is pages the kernel must zero.
                buf.reserve((range.len() * per_item / 8 * 9).min(Items::BUDGET + per_item));
                let mut items = Items::kept(buf);
                let stopped = format(&mut state, range, &mut items);
                if made.send((items.buf, stopped)).is_err() {
                    break;
                }
            }
        });
        thread.ok().map(|_| Self { work, done })
    }

    fn send(&self, range: Range<usize>, per_item: usize, buf: Vec<u8>) {
        self.work.send((range, per_item, buf)).expect("a JSON worker stopped");
    }

    fn receive(&self) -> (Vec<u8>, usize) {
        self.done.recv().expect("a JSON worker panicked")
    }
}
