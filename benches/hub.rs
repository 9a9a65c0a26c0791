//! `cargo bench --bench hub`: mglint on synthetic Hugging-Face-hub-shaped derivation graphs.
//!
//! For every size N (default 100 000 and 1 000 000; override with
//! `MGLINT_BENCH_SIZES=10000,100000`) the bench writes `target/bench/hub-N.json` (and a
//! shuffled copy, `hub-N-shuffled.json`), reusing files that a previous run generated with
//! the same generator version, size and seed, then measures:
//!
//! - the release binary as a whole process (`mglint check --format json FILE -o REPORT`):
//!   wall time over `MGLINT_BENCH_RUNS` runs (default 3; min and median) and peak RSS from
//!   `/usr/bin/time -f "%e %M"` when it exists;
//! - an in-process phase breakdown through the library: read, parse + graph build, check,
//!   render JSON, drop (min of the same number of runs per phase);
//! - a `MGLINT_BENCH_CHAIN`-node (default 10 000) single fine-tune chain, which must not
//!   overflow the stack.
//!
//! No dependencies beyond the library and the binary's allocator: the generator uses its
//! own splitmix64 with a fixed seed, so a given (N, seed) always gives the same file. See
//! `docs/performance.md`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary's allocator, so that the phases are timed in process as the CLI runs them.
/// With the system allocator, the memory a reading thread had allocated made the render at
/// 1M 3-4 s slower than the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use mglint::checks::{CheckOptions, Severity};
use mglint::kb::KnowledgeBase;
use mglint::syntax::Limits;

/// The generator's seed.
const SEED: u64 = 0x6d67_6c69_6e74_0001;
/// Bumped whenever the generator's output changes, so stale files are regenerated.
const GENERATOR_VERSION: u32 = 1;

// ---------------------------------------------------------------------------------------
// PRNG

/// splitmix64: tiny, fast, good enough for shaping a synthetic graph.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True with probability `percent`/100.
    fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// An index into `weights`, with probability proportional to the weight.
    fn weighted<T>(&mut self, table: &[(T, u32)]) -> usize {
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total as usize) as u32;
        for (i, (_, w)) in table.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        unreachable!("weights sum to total")
    }
}

// ---------------------------------------------------------------------------------------
// Generator

/// The license mix of models (Hub license tags plus ModelGo ids; `None`: no license).
const MODEL_LICENSES: &[(Option<&str>, u32)] = &[
    (Some("apache-2.0"), 28),
    (Some("mit"), 10),
    (Some("llama2"), 7),
    (Some("llama3.1"), 10),
    (Some("gemma"), 6),
    (Some("cc-by-nc-4.0"), 6),
    (Some("cc-by-4.0"), 4),
    (Some("creativeml-openrail-m"), 5),
    (Some("openrail"), 4),
    (Some("MG-BY-2.0"), 2),
    (Some("MG-BY-NC-2.0"), 2),
    (Some("MG-BY-RAI-2.0"), 1),
    (Some("MG-BY-ND-2.0"), 1),
    (Some("MG-BY-SA-2.0"), 1),
    (Some("MG-BY-NC-1.0"), 1),
    (Some("other"), 6),
    (None, 6),
];

/// The license mix of datasets.
const DATASET_LICENSES: &[(Option<&str>, u32)] = &[
    (Some("apache-2.0"), 25),
    (Some("mit"), 20),
    (Some("cc-by-4.0"), 20),
    (Some("cc-by-nc-4.0"), 12),
    (Some("MG-BY-2.0"), 2),
    (Some("MG-BY-NC-2.0"), 2),
    (Some("other"), 9),
    (None, 10),
];

/// How derived nodes are made (percent of derived nodes).
#[derive(Clone, Copy)]
enum Make {
    Finetune,
    Quantize,
    Adapter,
    Merge,
    Distill,
    Generate,
    Copy,
}

const MAKES: &[(Make, u32)] = &[
    (Make::Finetune, 40),
    (Make::Quantize, 25),
    (Make::Adapter, 10),
    (Make::Merge, 10),
    (Make::Distill, 5),
    (Make::Generate, 5),
    (Make::Copy, 3),
];

struct GenNode {
    id: String,
    kind: Option<&'static str>,
    license: Option<&'static str>,
    from: Vec<(u32, &'static str)>,
}

/// A generated graph file and its shape.
struct Generated {
    text: String,
    nodes: usize,
    edges: usize,
}

/// Draws from an urn in which every item appears once plus once per child it already has:
/// preferential attachment with weight `1 + children`.
fn attach(rng: &mut Rng, urn: &mut Vec<u32>) -> u32 {
    let p = urn[rng.below(urn.len())];
    urn.push(p);
    p
}

/// `count` distinct parents from the urn (fewer if the urn has fewer distinct items).
fn attach_distinct(rng: &mut Rng, urn: &mut Vec<u32>, count: usize, out: &mut Vec<u32>) {
    out.clear();
    for _ in 0..count * 8 {
        if out.len() == count {
            break;
        }
        let p = urn[rng.below(urn.len())];
        if !out.contains(&p) {
            urn.push(p);
            out.push(p);
        }
    }
}

fn model_license(rng: &mut Rng) -> Option<&'static str> {
    MODEL_LICENSES[rng.weighted(MODEL_LICENSES)].0
}

/// A Hub-shaped graph of `n` nodes (n >= 10), deterministic for (n, seed, shuffled).
fn generate_hub(n: usize, seed: u64, shuffled: bool) -> Generated {
    let mut rng = Rng(seed ^ (n as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let bases = (n * 3 / 200).max(1); // 1.5 %
    let datasets = (n / 50).max(1); // 2 %
    let orgs = (n / 25).max(1);
    let mut nodes: Vec<GenNode> = Vec::with_capacity(n);
    let mut models: Vec<u32> = Vec::with_capacity(n * 3); // urn of models
    let mut data: Vec<u32> = Vec::with_capacity(n / 4); // urn of datasets and outputs
    let org = |rng: &mut Rng| rng.below(orgs);

    for i in 0..bases {
        let o = org(&mut rng);
        nodes.push(GenNode {
            id: format!("org{o}/base-{i}"),
            kind: None,
            license: model_license(&mut rng),
            from: Vec::new(),
        });
        models.push(i as u32);
    }
    for _ in 0..datasets {
        let i = nodes.len();
        let o = org(&mut rng);
        nodes.push(GenNode {
            id: format!("org{o}/data-{i}"),
            kind: Some("dataset"),
            license: DATASET_LICENSES[rng.weighted(DATASET_LICENSES)].0,
            from: Vec::new(),
        });
        data.push(i as u32);
    }

    let mut picked = Vec::with_capacity(4);
    while nodes.len() < n {
        let i = nodes.len() as u32;
        let o = org(&mut rng);
        let make = MAKES[rng.weighted(MAKES)].0;
        let mut from: Vec<(u32, &'static str)> = Vec::with_capacity(2);
        let (name, kind) = match make {
            Make::Finetune => {
                from.push((attach(&mut rng, &mut models), "finetune"));
                let trains = rng.below(3);
                attach_distinct(&mut rng, &mut data, trains, &mut picked);
                from.extend(picked.iter().map(|&d| (d, "train")));
                ("ft", None)
            }
            Make::Quantize => {
                from.push((attach(&mut rng, &mut models), "quantize"));
                ("gguf", None)
            }
            Make::Adapter => {
                from.push((attach(&mut rng, &mut models), "adapter"));
                ("lora", None)
            }
            Make::Merge => {
                let parents = 2 + rng.below(3);
                attach_distinct(&mut rng, &mut models, parents, &mut picked);
                from.extend(picked.iter().map(|&p| (p, "merge")));
                ("merge", None)
            }
            Make::Distill => {
                from.push((attach(&mut rng, &mut models), "distill"));
                if rng.percent(30) {
                    from.push((attach(&mut rng, &mut data), "train"));
                }
                ("distill", None)
            }
            Make::Generate => {
                from.push((attach(&mut rng, &mut models), "generate"));
                ("synthetic", Some("output"))
            }
            Make::Copy => {
                from.push((attach(&mut rng, &mut models), "copy"));
                ("mirror", None)
            }
        };
        // ~50 % declare a license: half the first parent's, half one from the mix.
        let license = if rng.percent(50) {
            let parent = nodes[from[0].0 as usize].license;
            if rng.percent(50) && parent.is_some() {
                parent
            } else {
                model_license(&mut rng).or(Some("apache-2.0"))
            }
        } else {
            None
        };
        if kind == Some("output") {
            data.push(i);
        } else {
            models.push(i);
        }
        nodes.push(GenNode {
            id: format!("org{o}/{name}-{i}"),
            kind,
            license,
            from,
        });
    }

    let mut order: Vec<u32> = (0..n as u32).collect();
    if shuffled {
        for k in (1..order.len()).rev() {
            order.swap(k, rng.below(k + 1));
        }
    }
    let edges = nodes.iter().map(|v| v.from.len()).sum();
    Generated {
        text: write_graph(&nodes, &order),
        nodes: n,
        edges,
    }
}

/// A chain root <- 1 <- 2 ... of `n` nodes, each a fine-tune of the previous one.
fn generate_chain(n: usize, root_license: &'static str) -> Generated {
    let nodes: Vec<GenNode> = (0..n)
        .map(|i| GenNode {
            id: format!("chain/m-{i}"),
            kind: None,
            license: if i == 0 { Some(root_license) } else { None },
            from: if i == 0 {
                Vec::new()
            } else {
                vec![(i as u32 - 1, "finetune")]
            },
        })
        .collect();
    let order: Vec<u32> = (0..n as u32).collect();
    Generated {
        text: write_graph(&nodes, &order),
        nodes: n,
        edges: n - 1,
    }
}

/// The native JSON graph format, one node per line. Ids never need escaping.
fn write_graph(nodes: &[GenNode], order: &[u32]) -> String {
    let mut s = String::with_capacity(nodes.len() * 110);
    s.push_str("{\"mglint\":1,\"intent\":{\"use\":\"commercial\",\"distribute\":\"public\"},\"nodes\":[\n");
    for (k, &ix) in order.iter().enumerate() {
        let v = &nodes[ix as usize];
        write!(s, "{{\"id\":\"{}\"", v.id).unwrap();
        if let Some(kind) = v.kind {
            write!(s, ",\"kind\":\"{kind}\"").unwrap();
        }
        if let Some(l) = v.license {
            write!(s, ",\"license\":\"{l}\"").unwrap();
        }
        if !v.from.is_empty() {
            s.push_str(",\"from\":[");
            for (j, (p, via)) in v.from.iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                write!(s, "{{\"id\":\"{}\",\"via\":\"{via}\"}}", nodes[*p as usize].id).unwrap();
            }
            s.push(']');
        }
        s.push('}');
        if k + 1 < order.len() {
            s.push(',');
        }
        s.push('\n');
    }
    s.push_str("]}\n");
    s
}

/// Writes `path` unless a previous run wrote it with the same stamp (generator version,
/// shape, seed) and it still has the recorded length. Returns (nodes, edges, bytes, reused).
fn ensure_file(path: &Path, stamp: &str, make: impl FnOnce() -> Generated) -> (usize, usize, u64, bool) {
    let stamp_path = path.with_extension("json.stamp");
    if let (Ok(recorded), Ok(meta)) = (std::fs::read_to_string(&stamp_path), std::fs::metadata(path)) {
        let mut fields = recorded.split_whitespace();
        let head = fields.next().unwrap_or("");
        let nums: Vec<u64> = fields.filter_map(|f| f.parse().ok()).collect();
        if head == stamp && nums.len() == 3 && nums[2] == meta.len() {
            return (nums[0] as usize, nums[1] as usize, nums[2], true);
        }
    }
    let g = make();
    std::fs::write(path, &g.text).expect("write the generated graph");
    let bytes = g.text.len() as u64;
    std::fs::write(&stamp_path, format!("{stamp} {} {} {bytes}\n", g.nodes, g.edges)).expect("write the stamp");
    (g.nodes, g.edges, bytes, false)
}

// ---------------------------------------------------------------------------------------
// Measurement

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .split(',')
            .map(|s| {
                s.trim()
                    .replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: bad number {s:?}"))
            })
            .collect(),
        _ => default.to_vec(),
    }
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                Path::new(env!("CARGO_MANIFEST_DIR")).join(d)
            }
        }
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

/// Builds the release binary (a no-op when it is fresh) and returns its path.
fn release_binary() -> PathBuf {
    eprintln!("hub bench: cargo build --release --bin mglint");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "mglint"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo");
    assert!(status.success(), "cargo build --release --bin mglint failed: {status}");
    let bin = target_dir()
        .join("release")
        .join(format!("mglint{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing", bin.display());
    bin
}

struct ProcessRun {
    wall: Duration,
    rss_kib: Option<u64>,
    exit: i32,
}

/// One `mglint check --format json INPUT -o REPORT`, under `/usr/bin/time` when it exists.
fn run_process(bin: &Path, input: &Path, report: &Path, time_out: &Path) -> ProcessRun {
    let use_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if use_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%e %M").arg("-o").arg(time_out).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("check")
        .arg("--format")
        .arg("json")
        .arg(input)
        .arg("-o")
        .arg(report);
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().expect("run mglint");
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let exit = out.status.code().unwrap_or(-1);
    let rss_kib = if use_time {
        let t = std::fs::read_to_string(time_out).unwrap_or_default();
        assert!(
            !t.contains("signal"),
            "mglint on {} was killed: {t}\n{stderr}",
            input.display()
        );
        t.lines()
            .last()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|m| m.parse().ok())
    } else {
        None
    };
    assert!(
        exit == 0 || exit == 1,
        "mglint check {} exited with {exit} (expected 0 or 1)\n{stderr}",
        input.display()
    );
    ProcessRun { wall, rss_kib, exit }
}

struct ProcessStats {
    min: Duration,
    median: Duration,
    rss_kib: Option<u64>,
    exit: i32,
    report_bytes: u64,
}

/// Runs the binary `runs` times; `keep`: leave the report file behind (it can be GiBs).
fn measure_process(bin: &Path, input: &Path, runs: usize, keep: bool) -> ProcessStats {
    let report = input.with_extension("report.json");
    let time_out = input.with_extension("time.txt");
    let mut walls = Vec::new();
    let mut rss = None::<u64>;
    let mut exit = 0;
    for _ in 0..runs {
        let r = run_process(bin, input, &report, &time_out);
        walls.push(r.wall);
        rss = match (rss, r.rss_kib) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        exit = r.exit;
    }
    let _ = std::fs::remove_file(&time_out);
    let report_bytes = std::fs::metadata(&report).map(|m| m.len()).unwrap_or(0);
    if !keep {
        let _ = std::fs::remove_file(&report);
    }
    walls.sort();
    ProcessStats {
        min: walls[0],
        median: walls[walls.len() / 2],
        rss_kib: rss,
        exit,
        report_bytes,
    }
}

/// A writer that only counts bytes (as cheap as `io::sink`, but says how big the report is).
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Default, Clone, Copy)]
struct Phases {
    read: Duration,
    load: Duration,
    check: Duration,
    render: Duration,
    drop: Duration,
}

impl Phases {
    fn total(&self) -> Duration {
        self.read + self.load + self.check + self.render + self.drop
    }
    fn min(self, o: Phases) -> Phases {
        Phases {
            read: self.read.min(o.read),
            load: self.load.min(o.load),
            check: self.check.min(o.check),
            render: self.render.min(o.render),
            drop: self.drop.min(o.drop),
        }
    }
}

struct InProcess {
    phases: Phases,
    nodes: usize,
    edges: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    report_bytes: u64,
}

/// The library pipeline on one file, phase by phase; per-phase minimum over `runs`.
fn measure_in_process(path: &Path, kb: &KnowledgeBase, runs: usize) -> InProcess {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut best: Option<Phases> = None;
    let mut result = None;
    for _ in 0..runs {
        let t = Instant::now();
        let text = std::fs::read_to_string(path).expect("read the graph");
        let read = t.elapsed();

        let t = Instant::now();
        let mut sources = mglint::source::Sources::default();
        let loaded = mglint::import::load(
            &mut sources,
            vec![(name.clone(), text)],
            kb,
            &Default::default(),
            &Limits::default(),
        );
        let load = t.elapsed();
        let g = match loaded {
            Ok(g) => g,
            Err(errors) => panic!(
                "{} has {} input errors, first: {:?}",
                path.display(),
                errors.len(),
                errors.first().map(|e| &e.message)
            ),
        };

        let t = Instant::now();
        let r = mglint::checks::check(&g, kb, &CheckOptions::default()).expect("within the limits");
        let check = t.elapsed();

        let t = Instant::now();
        let mut counter = Counter(0);
        {
            let inputs = [name.clone()];
            let run = mglint::render::Run {
                sources: &sources,
                inputs: &inputs,
                license_files: &[],
                kb,
                outcome: mglint::render::Outcome::Checked { graph: &g, report: &r },
            };
            mglint::render::json::write(&run, &mut counter).expect("render");
        }
        let render = t.elapsed();

        let summary = (
            g.nodes.len(),
            g.edge_count(),
            r.count(Severity::Error),
            r.count(Severity::Warning),
            r.count(Severity::Info),
            counter.0,
        );
        let t = Instant::now();
        drop(r);
        drop(g);
        drop(sources);
        let drop_time = t.elapsed();

        let p = Phases {
            read,
            load,
            check,
            render,
            drop: drop_time,
        };
        best = Some(best.map_or(p, |b| b.min(p)));
        result = Some(summary);
    }
    let (nodes, edges, errors, warnings, infos, report_bytes) = result.expect("at least one run");
    InProcess {
        phases: best.expect("at least one run"),
        nodes,
        edges,
        errors,
        warnings,
        infos,
        report_bytes,
    }
}

// ---------------------------------------------------------------------------------------
// Output

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn rss(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| mib(k * 1024))
}

fn print_table(title: &str, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.len());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| if i == 0 { format!("{c:<w$}") } else { format!("{c:>w$}") })
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    println!("\n{title}\n");
    line(header.to_vec());
    let rule: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                format!(":{}", "-".repeat(w + 1))
            } else {
                format!("{}:", "-".repeat(w + 1))
            }
        })
        .collect();
    println!("|{}|", rule.join("|"));
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a libtest-style filter or `--list` is not supported.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes = env_list("MGLINT_BENCH_SIZES", &[100_000, 1_000_000]);
    let chains = env_list("MGLINT_BENCH_CHAIN", &[10_000]);
    let runs = env_list("MGLINT_BENCH_RUNS", &[3])[0].max(1);
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let bin = release_binary();
    let kb = KnowledgeBase::builtin();

    let mut inputs = Vec::new();
    for &n in &sizes {
        assert!(n >= 10, "sizes must be at least 10");
        for shuffled in [false, true] {
            let file = dir.join(if shuffled {
                format!("hub-{n}-shuffled.json")
            } else {
                format!("hub-{n}.json")
            });
            let stamp = format!("gen{GENERATOR_VERSION}:hub:n={n}:seed={SEED:#x}:shuffled={shuffled}");
            let t = Instant::now();
            let (nodes, edges, bytes, reused) = ensure_file(&file, &stamp, || generate_hub(n, SEED, shuffled));
            eprintln!(
                "hub bench: {} {} ({nodes} nodes, {edges} edges, {}) in {}",
                if reused { "reused" } else { "generated" },
                file.display(),
                mib(bytes),
                secs(t.elapsed())
            );
            inputs.push((n, if shuffled { "shuffled" } else { "parents-first" }, file, bytes));
        }
    }
    let mut chain_inputs = Vec::new();
    for &n in &chains {
        assert!(n >= 2, "chains must have at least 2 nodes");
        for root in ["apache-2.0", "MG-BY-NC-2.0"] {
            let file = dir.join(format!("chain-{n}-{}.json", root.to_ascii_lowercase()));
            let stamp = format!("gen{GENERATOR_VERSION}:chain:n={n}:root={root}");
            ensure_file(&file, &stamp, || generate_chain(n, root));
            chain_inputs.push((n, root, file));
        }
    }

    let mut whole = Vec::new();
    let mut phases = Vec::new();
    let mut results = Vec::new();
    for (n, order, file, bytes) in &inputs {
        eprintln!("hub bench: {} ({order}): whole process x{runs}", file.display());
        let p = measure_process(&bin, file, runs, *order != "shuffled");
        eprintln!("hub bench: {} ({order}): in process x{runs}", file.display());
        let i = measure_in_process(file, &kb, runs);
        whole.push(vec![
            n.to_string(),
            order.to_string(),
            mib(*bytes),
            secs(p.min),
            secs(p.median),
            rss(p.rss_kib),
            p.exit.to_string(),
            mib(p.report_bytes),
        ]);
        let ph = i.phases;
        phases.push(vec![
            n.to_string(),
            order.to_string(),
            secs(ph.read),
            secs(ph.load),
            secs(ph.check),
            secs(ph.render),
            secs(ph.drop),
            secs(ph.total()),
        ]);
        results.push(vec![
            n.to_string(),
            order.to_string(),
            i.nodes.to_string(),
            i.edges.to_string(),
            i.errors.to_string(),
            i.warnings.to_string(),
            i.infos.to_string(),
            i.report_bytes.to_string(),
        ]);
    }
    let mut chain_rows = Vec::new();
    for (n, root, file) in &chain_inputs {
        eprintln!("hub bench: {}: whole process x{runs}", file.display());
        let p = measure_process(&bin, file, runs, true);
        let i = measure_in_process(file, &kb, 1);
        chain_rows.push(vec![
            n.to_string(),
            root.to_string(),
            secs(p.min),
            secs(p.median),
            rss(p.rss_kib),
            p.exit.to_string(),
            (i.errors + i.warnings + i.infos).to_string(),
            secs(i.phases.total()),
        ]);
    }

    println!(
        "\nmglint hub benchmark: seed {SEED:#x}, {runs} runs, release binary {}",
        bin.display()
    );
    if !Path::new("/usr/bin/time").exists() {
        println!("peak memory: n/a (/usr/bin/time not found)");
    }
    print_table(
        "Whole process: mglint check --format json FILE -o REPORT",
        &[
            "nodes",
            "order",
            "input",
            "wall min",
            "wall median",
            "peak RSS",
            "exit",
            "report",
        ],
        &whole,
    );
    print_table(
        "In process, per phase (min of runs)",
        &[
            "nodes",
            "order",
            "read",
            "parse+build",
            "check",
            "render json",
            "drop",
            "total",
        ],
        &phases,
    );
    print_table(
        "Graph and report",
        &[
            "nodes",
            "order",
            "nodes",
            "edges",
            "errors",
            "warnings",
            "infos",
            "report bytes",
        ],
        &results,
    );
    print_table(
        "Single fine-tune chain (must not overflow the stack)",
        &[
            "nodes",
            "root",
            "wall min",
            "wall median",
            "peak RSS",
            "exit",
            "findings",
            "in process",
        ],
        &chain_rows,
    );
    std::io::stdout().flush().ok();
}
