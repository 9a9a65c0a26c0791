//! The command line: parse arguments, read inputs, run the library, choose the exit status.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::checks::{CheckOptions, Severity};
use crate::engine::Overrides;
use crate::error::{InputCode, InputError};
use crate::graph::{Distribute, Use};
use crate::import::{ImportOptions, InputKind};
use crate::kb::KnowledgeBase;
use crate::render::text::TextOptions;
use crate::render::{Outcome, Run};

const AFTER_HELP: &str = "\
Examples:
  mglint check graphs/clean-apache-pipeline.yaml
  mglint check my-merge.yml                      # a mergekit recipe
  mglint check ~/models/my-finetune              # a directory holding a model card
  mglint check --format json lineage.yaml -o report.json
  mglint check --use non-commercial --distribute service lineage.yaml
  mglint licenses show mg-by-nc-2.0

Inputs: graph files, mergekit recipes and model cards (a README.md, or the directory holding
it), told apart by their content (--input-kind forces it). The upstream licenses a recipe or
card does not state are found offline: --licenses mappings, the model's own card (a local
directory, or the Hugging Face cache: $HF_HUB_CACHE, else $HF_HOME/hub, else
~/.cache/huggingface/hub), then a built-in registry of model families. Nothing is fetched.

Exit status: 0 no finding at or above --fail-on; 1 at least one; 2 unusable input or bad arguments.
Not legal advice: mglint reads licenses mechanically; a lawyer decides.";

/// License compatibility along model derivation graphs.
#[derive(Debug, Parser)]
#[command(name = "mglint", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Propagate license obligations through a derivation graph (or a mergekit recipe, or a
    /// model card) and report conflicts.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Every obligation NODE carries: its origin, the origin's license, the path it came by;
    /// NODE's intent and where it came from; its findings and permitted licenses.
    #[command(
        after_help = "Examples:\n  mglint explain graphs/llama2-chat-finetune-on-cc-by-nc-data-sold.yaml acme/support-bot-7b\n  mglint explain --format json my-merge.yml my-merge"
    )]
    Explain(ExplainArgs),
    /// The licenses each derived node (or NODE) may be distributed under, least restrictive
    /// first, with the reason for each restriction.
    #[command(
        after_help = "Examples:\n  mglint suggest graphs/merge-nc-and-rai-suggested-license.yaml\n  mglint suggest --format json lineage.yaml acme/merged"
    )]
    Suggest(SuggestArgs),
    /// The lineage as a Graphviz DOT diagram (or SVG/PNG with --render, which needs Graphviz).
    #[command(
        after_help = "Examples:\n  mglint dot lineage.yaml > lineage.dot\n  mglint dot --render svg -o lineage.svg lineage.yaml\n  mglint dot my-merge.yml | dot -Tpng -o merge.png\n\nNodes: shape by kind (box model, cylinder dataset, note code, parallelogram output,\ncomponent bundle), fill by the kind of license they declare, border red (error) or\norange (warning), dashed when an importer brought them in. Red edges: the path of an error."
    )]
    Dot(DotArgs),
    /// Write a commented policy file template (mglint.toml) to standard output or `-o`.
    Init {
        /// Write to this file instead of standard output (refuses to overwrite).
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
    },
    /// Print the JSON Schema of the graph file (also in docs/graph.schema.json), for
    /// editors and validators.
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `mglint man > mglint.1`.
    Man,
    /// Print the graph file a mergekit recipe or model card stands for, to commit and edit.
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Show the license knowledge base: `licenses list` (the default) or `licenses show ID`.
    Licenses(LicensesArgs),
}

const IMPORT_HELP: &str = "\
Examples:
  mglint import my-merge.yml > lineage.yaml
  mglint import --format json path/to/model/README.md
  mglint import --id acme/merged-7b mergekit_config.yml

Upstream licenses are found offline: --licenses mappings, the model's card (a local
directory, or the Hugging Face cache: $HF_HUB_CACHE, else $HF_HOME/hub, else
~/.cache/huggingface/hub), the built-in registry of model families. Each node's
meta.license_source says which. The graph is printed as read, without checking it: a
policy file (--policy, mglint.toml) does not change it.";

#[derive(Debug, clap::Args)]
struct ImportArgs {
    #[command(flatten)]
    files: Files,
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ImportFormat::Yaml)]
    format: ImportFormat,
    /// Write the graph to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<String>,
}

/// The one input of `explain` and `suggest`, and how to read and check it.
#[derive(Debug, clap::Args)]
struct OneInput {
    /// A graph file, mergekit recipe or model card; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: String,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    intent: IntentArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
}

impl OneInput {
    fn load(&self) -> Loaded {
        Loaded::new(std::slice::from_ref(&self.file), &self.input, &self.intent)
    }
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    #[command(flatten)]
    one: OneInput,
    /// The node to explain (its id).
    #[arg(value_name = "NODE")]
    node: String,
}

#[derive(Debug, clap::Args)]
struct SuggestArgs {
    #[command(flatten)]
    one: OneInput,
    /// Only this node (default: every derived node).
    #[arg(value_name = "NODE")]
    node: Option<String>,
}

/// Output format of `explain` and `suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    /// Readable text.
    Text,
    /// JSON (schema_version 1).
    Json,
}

#[derive(Debug, clap::Args)]
struct DotArgs {
    #[command(flatten)]
    files: Files,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    intent: IntentArgs,
    /// Run Graphviz's `dot` to render the diagram (needs Graphviz installed and `-o`).
    #[arg(long, value_enum, requires = "output")]
    render: Option<RenderFormat>,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RenderFormat {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image.
    Png,
}

/// Output format of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportFormat {
    /// A YAML graph file.
    Yaml,
    /// A JSON graph file.
    Json,
}

/// How a verb that reads graphs, recipes or cards reads them (its FILE arguments are its
/// own: `explain` and `suggest` take a NODE after them).
#[derive(Debug, clap::Args)]
struct InputArgs {
    /// Read every input as this kind instead of detecting it from the content.
    #[arg(long, value_enum, value_name = "KIND")]
    input_kind: Option<InputKindArg>,
    /// The id of the node a recipe or card stands for (default: the Hugging Face id of a
    /// cache path, the directory of a README.md, else the file name without extension).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// A license file: extra licenses (or your reading of a built-in one) and model-id
    /// mappings, in the format of docs/graph-format.md; repeatable, later files win.
    #[arg(long, value_name = "FILE")]
    licenses: Vec<String>,
    /// Largest input file accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    max_input_mib: u64,
    /// The policy file (default: mglint.toml in the working directory, when there is one):
    /// intent, denied or allowed licenses, severities, reasoned exceptions.
    #[arg(long, value_name = "FILE", conflicts_with = "no_policy")]
    policy: Option<String>,
    /// Ignore mglint.toml.
    #[arg(long)]
    no_policy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputKindArg {
    /// A derivation-graph file.
    Graph,
    /// A mergekit recipe.
    Mergekit,
    /// A Hugging Face model card.
    ModelCard,
}

impl InputArgs {
    fn import_options(&self) -> ImportOptions {
        ImportOptions {
            kind: self.input_kind.map(|k| match k {
                InputKindArg::Graph => InputKind::Graph,
                InputKindArg::Mergekit => InputKind::Mergekit,
                InputKindArg::ModelCard => InputKind::ModelCard,
            }),
            id: self.id.clone(),
            hf_cache: ImportOptions::hf_cache_from(|name| std::env::var(name).ok()),
        }
    }

    /// The policy file to read: `--policy`, else `mglint.toml` when present.
    fn policy_file(&self) -> Option<String> {
        if self.no_policy {
            return None;
        }
        self.policy.clone().or_else(|| {
            std::path::Path::new("mglint.toml")
                .is_file()
                .then(|| "mglint.toml".to_owned())
        })
    }

    fn max_bytes(&self) -> u64 {
        self.max_input_mib.saturating_mul(1 << 20)
    }
}

/// The inputs as the reports name them.
fn names(files: &[String]) -> Vec<String> {
    files
        .iter()
        .map(|f| if f == "-" { "<stdin>".to_owned() } else { f.clone() })
        .collect()
}

/// Graph files, recipes or cards: the FILE arguments of `check`, `dot` and `import`.
#[derive(Debug, clap::Args)]
struct Files {
    /// Graph files, mergekit recipes or model cards (a README.md, or a directory holding
    /// one); `-` reads standard input. All inputs form one graph.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

/// `--use` and `--distribute`.
#[derive(Debug, clap::Args)]
struct IntentArgs {
    /// Override the top-level intent's use of the end products.
    #[arg(long = "use", value_enum, value_name = "USE")]
    use_: Option<UseArg>,
    /// Override the top-level intent's distribution of the end products.
    #[arg(long, value_enum)]
    distribute: Option<DistributeArg>,
}

impl IntentArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            use_: self.use_.map(|u| match u {
                UseArg::Commercial => Use::Commercial,
                UseArg::NonCommercial => Use::NonCommercial,
            }),
            distribute: self.distribute.map(|d| match d {
                DistributeArg::Private => Distribute::Private,
                DistributeArg::Public => Distribute::Public,
                DistributeArg::Service => Distribute::Service,
            }),
            ..Overrides::default()
        }
    }
}

/// Inputs read (and, for every verb but `import`, checked), and everything a renderer
/// needs about them: `T` is the graph and its report, or the graph alone.
struct Loaded<T = (crate::graph::Graph, crate::checks::Report)> {
    kb: KnowledgeBase,
    sources: crate::source::Sources,
    names: Vec<String>,
    result: Result<T, Vec<InputError>>,
}

impl<T> Loaded<T> {
    /// Reads the knowledge base, the policy file when `with_policy`, and `files`, then
    /// `load`s them into a `T`; read errors and input errors come out together.
    fn read(
        files: &[String],
        input: &InputArgs,
        intent: &IntentArgs,
        with_policy: bool,
        load: impl FnOnce(
            crate::source::Sources,
            Vec<(String, String)>,
            &KnowledgeBase,
            &CheckOptions,
        ) -> (crate::source::Sources, Result<T, Vec<InputError>>),
    ) -> Self {
        let max_bytes = input.max_bytes();
        let mut read_errors = Vec::new();
        let (kb, mut sources) = knowledge_base(&input.licenses, max_bytes, &mut read_errors);
        let policy = input.policy_file().filter(|_| with_policy).and_then(|name| {
            let (name, text) = read_input(&name, max_bytes).map_err(|e| read_errors.push(e)).ok()?;
            let file = sources.add(name, text);
            crate::policy::parse(&sources.get(file).text, file, &kb)
                .map_err(|mut e| read_errors.append(&mut e))
                .ok()
        });
        let inputs = read_inputs(files, max_bytes, &mut read_errors);
        let mut overrides = intent.overrides();
        if let Some(p) = &policy {
            overrides.policy_use = p.use_;
            overrides.policy_distribute = p.distribute;
        }
        let options = CheckOptions {
            import: input.import_options(),
            overrides,
            policy: policy.unwrap_or_default(),
            max_tracked_bytes: None,
        };
        let (sources, loaded) = load(sources, inputs, &kb, &options);
        let result = match loaded {
            Ok(done) if read_errors.is_empty() => Ok(done),
            Ok(_) => Err(read_errors),
            Err(mut errors) => {
                read_errors.append(&mut errors);
                Err(read_errors)
            }
        };
        Self {
            kb,
            sources,
            names: names(files),
            result,
        }
    }

    /// What a renderer needs to show `outcome`.
    fn run_of<'a>(&'a self, license_files: &'a [String], outcome: Outcome<'a>) -> Run<'a> {
        Run {
            sources: &self.sources,
            inputs: &self.names,
            license_files,
            kb: &self.kb,
            outcome,
        }
    }

    /// What was loaded, or the input errors written to standard error (exit 2).
    fn loaded(&self, license_files: &[String]) -> Result<&T, ExitCode> {
        match &self.result {
            Ok(done) => Ok(done),
            Err(errors) => {
                let run = self.run_of(license_files, Outcome::Unusable(errors));
                let _ = crate::render::text::write(&run, TextOptions::default(), &mut std::io::stderr().lock());
                Err(ExitCode::from(2))
            }
        }
    }
}

impl Loaded<crate::graph::Graph> {
    /// Reads `files` into a graph without checking it (`import` prints the graph, and
    /// needs neither a policy nor findings).
    fn graph(files: &[String], input: &InputArgs) -> Self {
        let no_intent = IntentArgs {
            use_: None,
            distribute: None,
        };
        Self::read(files, input, &no_intent, false, |mut sources, inputs, kb, options| {
            let graph = crate::load_sources(&mut sources, inputs, kb, &options.import);
            (sources, graph)
        })
    }
}

impl Loaded {
    /// Reads and checks `files` under the policy file.
    fn new(files: &[String], input: &InputArgs, intent: &IntentArgs) -> Self {
        Self::read(files, input, intent, true, |sources, inputs, kb, options| {
            let checked = crate::check_sources(sources, inputs, kb, options);
            (checked.sources, checked.result)
        })
    }

    fn run<'a>(&'a self, license_files: &'a [String]) -> Run<'a> {
        let outcome = match &self.result {
            Ok((graph, report)) => Outcome::Checked { graph, report },
            Err(errors) => Outcome::Unusable(errors),
        };
        self.run_of(license_files, outcome)
    }
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mglint licenses list\n  mglint licenses show mg-by-nc-2.0\n  mglint licenses --licenses ours.yaml list --format json"
)]
struct LicensesArgs {
    #[command(subcommand)]
    action: Option<LicensesAction>,
    /// Output format (`markdown`: the whole knowledge base as docs/licenses.md).
    #[arg(long, value_enum, default_value_t = LicensesFormat::Text, global = true)]
    format: LicensesFormat,
    /// A license file to add to the knowledge base (see `check --help`); repeatable.
    #[arg(long, value_name = "FILE", global = true)]
    licenses: Vec<String>,
}

/// Output format of `licenses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LicensesFormat {
    /// An aligned table, or one license's details.
    Text,
    /// JSON.
    Json,
    /// The whole knowledge base as a Markdown page.
    Markdown,
}

#[derive(Debug, Subcommand)]
enum LicensesAction {
    /// Every license: id, name, family, version, clauses.
    List,
    /// One license (any id or alias, any case): clauses with their sources, aliases, and
    /// what it produces along each relation class.
    Show {
        /// The license id or alias.
        id: String,
    },
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable diagnostics with source snippets.
    Text,
    /// The JSON report (schema_version 1).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the offending lines.
    Github,
}

/// The lowest severity that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UseArg {
    Commercial,
    NonCommercial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DistributeArg {
    Private,
    Public,
    Service,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    files: Files,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    intent: IntentArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with status 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Hide info findings in text output.
    #[arg(long, short)]
    quiet: bool,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<String>,
    /// When to colour text output (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Import(args) => run_import(&args),
        Command::Explain(args) => run_explain(&args),
        Command::Suggest(args) => run_suggest(&args),
        Command::Dot(args) => run_dot(&args),
        Command::Init { output } => run_init(output.as_deref()),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            emit(None, |out| {
                clap_complete::generate(shell, &mut Cli::command(), "mglint", out);
                Ok(())
            })
        }
        Command::Schema => emit(None, |out| {
            out.write_all(crate::graph::schema::json_schema().as_bytes())
        }),
        Command::Man => {
            use clap::CommandFactory;
            emit(None, |out| clap_mangen::Man::new(Cli::command()).render(out))
        }
        Command::Licenses(args) => run_licenses(&args),
    }
}

fn read_input(name: &str, max_bytes: u64) -> Result<(String, String), InputError> {
    // A directory stands for the model card in it.
    if name != "-" && std::path::Path::new(name).is_dir() {
        let card = std::path::Path::new(name).join("README.md");
        return read_input(&card.to_string_lossy(), max_bytes);
    }
    let mut bytes = Vec::new();
    let shown = if name == "-" { "<stdin>" } else { name };
    let result = if name == "-" {
        std::io::stdin()
            .lock()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(name).and_then(|f| {
            // Sized once from the file's length: growing by doubling held two copies of
            // a large input for a moment.
            let len = f.metadata().map_or(0, |m| m.len()).min(max_bytes);
            bytes.reserve_exact(usize::try_from(len).unwrap_or(0).saturating_add(1));
            f.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes)
        })
    };
    if let Err(e) = result {
        return Err(InputError::nowhere(InputCode::Io, format!("cannot read {shown}: {e}")));
    }
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::nowhere(
            InputCode::LimitExceeded,
            format!("{shown} is larger than {} MiB", max_bytes >> 20),
        )
        .with_help("raise the limit with --max-input-mib"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((shown.to_owned(), text)),
        Err(e) => Err(InputError::nowhere(
            InputCode::ParseError,
            format!(
                "{shown} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )),
    }
}

/// Reads every named file (`-`: standard input), collecting the errors.
fn read_inputs(names: &[String], max_bytes: u64, errors: &mut Vec<InputError>) -> Vec<(String, String)> {
    names
        .iter()
        .filter_map(|name| read_input(name, max_bytes).map_err(|e| errors.push(e)).ok())
        .collect()
}

/// The built-in knowledge base extended with the `--licenses` files, and the source set
/// that holds those files (for error locations).
fn knowledge_base(
    license_files: &[String],
    max_bytes: u64,
    errors: &mut Vec<InputError>,
) -> (KnowledgeBase, crate::source::Sources) {
    let mut kb = KnowledgeBase::builtin();
    let mut sources = crate::source::Sources::default();
    let files = read_inputs(license_files, max_bytes, errors);
    errors.extend(kb.load_user_files(&mut sources, files));
    (kb, sources)
}

fn run_check(args: &CheckArgs) -> ExitCode {
    let loaded = Loaded::new(&args.files.files, &args.input, &args.intent);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let written = write_report(&loaded.run(&args.input.licenses), args, color);
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("mglint: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    let Ok((_, report)) = &loaded.result else {
        return ExitCode::from(2);
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| report.fails(t));
    // The process ends here: freeing a million-node graph and report one allocation at a
    // time would only cost time (seconds at hub scale), so leave it to the OS.
    std::mem::forget(loaded);
    ExitCode::from(u8::from(failed))
}

fn run_import(args: &ImportArgs) -> ExitCode {
    let loaded = Loaded::graph(&args.files.files, &args.input);
    let graph = match loaded.loaded(&args.input.licenses) {
        Ok(graph) => graph,
        Err(status) => return status,
    };
    let result = open_output(args.output.as_deref()).and_then(|mut out| {
        let json = args.format == ImportFormat::Json;
        crate::render::graph::write(graph, &loaded.names, json, &mut out)?;
        out.flush()
    });
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("mglint: cannot write the graph: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The index of a NODE argument, or an `unknown-node` error (exit 2) with the closest ids.
fn find_node(graph: &crate::graph::Graph, node: &str) -> Result<crate::graph::NodeIx, ExitCode> {
    graph.find(node).ok_or_else(|| {
        let close = crate::error::did_you_mean(node, graph.nodes.iter().map(|n| n.id.as_str()));
        eprintln!("error[unknown-node]: no node `{node}` in the graph");
        if let Some(close) = close {
            eprintln!("  = help: did you mean `{close}`?");
        }
        ExitCode::from(2)
    })
}

/// Writes with `write`, to standard output or `-o`; a failure to write is exit 2.
fn emit(output: Option<&str>, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let result = open_output(output).and_then(|mut out| {
        write(&mut out)?;
        out.flush()
    });
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("mglint: cannot write: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn run_explain(args: &ExplainArgs) -> ExitCode {
    let loaded = args.one.load();
    let (graph, report) = match loaded.loaded(&args.one.input.licenses) {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    let v = match find_node(graph, &args.node) {
        Ok(v) => v,
        Err(status) => return status,
    };
    let json = args.one.format == ExplainFormat::Json;
    emit(None, |out| {
        crate::render::explain::write_explain(graph, report, &loaded.kb, v, json, out)
    })
}

fn run_suggest(args: &SuggestArgs) -> ExitCode {
    let loaded = args.one.load();
    let (graph, report) = match loaded.loaded(&args.one.input.licenses) {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    let nodes: Vec<crate::graph::NodeIx> = match &args.node {
        Some(node) => match find_node(graph, node) {
            Ok(v) => vec![v],
            Err(status) => return status,
        },
        None => (0..graph.nodes.len() as crate::graph::NodeIx)
            .filter(|&v| !graph.is_root(v))
            .collect(),
    };
    let json = args.one.format == ExplainFormat::Json;
    emit(None, |out| {
        crate::render::explain::write_suggest(graph, report, &loaded.kb, &nodes, json, out)
    })
}

fn run_dot(args: &DotArgs) -> ExitCode {
    let loaded = Loaded::new(&args.files.files, &args.input, &args.intent);
    let (graph, report) = match loaded.loaded(&args.input.licenses) {
        Ok(checked) => checked,
        Err(status) => return status,
    };
    let mut dot = Vec::new();
    if let Err(e) = crate::render::dot::write(graph, report, &loaded.kb, &mut dot) {
        eprintln!("mglint: cannot write the diagram: {e}");
        return ExitCode::from(2);
    }
    let (Some(format), Some(output)) = (args.render, args.output.as_deref()) else {
        return emit(args.output.as_deref().filter(|o| *o != "-"), |out| out.write_all(&dot));
    };
    let format = match format {
        RenderFormat::Svg => "svg",
        RenderFormat::Png => "png",
    };
    match crate::render::dot::render(&dot, format, output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code.as_str(), e.message);
            if let Some(help) = &e.help {
                eprintln!("  = help: {help}");
            }
            ExitCode::from(2)
        }
    }
}

fn run_init(output: Option<&str>) -> ExitCode {
    let output = output.filter(|o| *o != "-");
    if let Some(path) = output
        && std::path::Path::new(path).exists()
    {
        eprintln!("mglint: {path} exists; not overwriting it");
        return ExitCode::from(2);
    }
    emit(output, |out| out.write_all(crate::policy::TEMPLATE.as_bytes()))
}

/// Standard output, or the `-o` file.
fn open_output(path: Option<&str>) -> std::io::Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| std::io::Error::new(e.kind(), format!("{path}: {e}")))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn run_licenses(args: &LicensesArgs) -> ExitCode {
    let mut errors = Vec::new();
    let (kb, sources) = knowledge_base(&args.licenses, u64::MAX, &mut errors);
    let mut out = std::io::stdout().lock();
    if !errors.is_empty() {
        let run = Run {
            sources: &sources,
            inputs: &[],
            license_files: &args.licenses,
            kb: &kb,
            outcome: Outcome::Unusable(&errors),
        };
        let _ = crate::render::text::write(&run, TextOptions::default(), &mut out);
        return ExitCode::from(2);
    }
    let json = args.format == LicensesFormat::Json;
    let written = match &args.action {
        _ if args.format == LicensesFormat::Markdown => crate::render::licenses::write_markdown(&kb, &mut out),
        None | Some(LicensesAction::List) => crate::render::licenses::write_list(&kb, json, &mut out),
        Some(LicensesAction::Show { id }) => match kb.lookup(id) {
            crate::kb::Lookup::Known { id, .. } => crate::render::licenses::write_show(&kb, id, json, &mut out),
            crate::kb::Lookup::Unknown => {
                let close = kb.closest_ids(id, 3);
                eprintln!("mglint: no license `{id}` in the knowledge base");
                if !close.is_empty() {
                    eprintln!("  closest: {}", close.join(", "));
                }
                eprintln!("  `mglint licenses list` shows them all");
                return ExitCode::from(2);
            }
        },
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("mglint: cannot write: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn write_report(run: &Run<'_>, args: &CheckArgs, color: bool) -> std::io::Result<()> {
    let mut out = open_output(args.output.as_deref())?;
    match args.format {
        Format::Text => crate::render::text::write(
            run,
            TextOptions {
                color,
                quiet: args.quiet,
            },
            &mut out,
        )?,
        Format::Json => crate::render::json::write(run, &mut out)?,
        Format::Sarif => crate::render::sarif::write_sarif(run, &mut out)?,
        Format::Github => crate::render::sarif::write_github(run, &mut out)?,
    }
    out.flush()
}
