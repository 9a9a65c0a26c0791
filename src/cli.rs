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
meta.license_source says which.";

#[derive(Debug, clap::Args)]
struct ImportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ImportFormat::Yaml)]
    format: ImportFormat,
    /// Write the graph to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<String>,
}

/// Output format of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportFormat {
    /// A YAML graph file.
    Yaml,
    /// A JSON graph file.
    Json,
}

/// The inputs of a verb that reads graphs, recipes or cards.
#[derive(Debug, clap::Args)]
struct InputArgs {
    /// Graph files, mergekit recipes or model cards (a README.md, or a directory holding
    /// one); `-` reads standard input. All inputs form one graph.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
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

    fn max_bytes(&self) -> u64 {
        self.max_input_mib.saturating_mul(1 << 20)
    }

    /// The inputs as the reports name them.
    fn names(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|f| if f == "-" { "<stdin>".to_owned() } else { f.clone() })
            .collect()
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
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with status 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Hide info findings in text output.
    #[arg(long, short)]
    quiet: bool,
    /// Override the top-level intent's use of the end products.
    #[arg(long = "use", value_enum, value_name = "USE")]
    use_: Option<UseArg>,
    /// Override the top-level intent's distribution of the end products.
    #[arg(long, value_enum)]
    distribute: Option<DistributeArg>,
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
        std::fs::File::open(name).and_then(|f| f.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes))
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
    let max_bytes = args.input.max_bytes();
    let mut read_errors = Vec::new();
    let (kb, sources) = knowledge_base(&args.input.licenses, max_bytes, &mut read_errors);
    let inputs = read_inputs(&args.input.files, max_bytes, &mut read_errors);
    let names = args.input.names();
    let options = CheckOptions {
        import: args.input.import_options(),
        overrides: Overrides {
            use_: args.use_.map(|u| match u {
                UseArg::Commercial => Use::Commercial,
                UseArg::NonCommercial => Use::NonCommercial,
            }),
            distribute: args.distribute.map(|d| match d {
                DistributeArg::Private => Distribute::Private,
                DistributeArg::Public => Distribute::Public,
                DistributeArg::Service => Distribute::Service,
            }),
            ..Overrides::default()
        },
    };
    let checked = crate::check_sources(sources, inputs, &kb, &options);
    let result = match checked.result {
        Ok(done) if read_errors.is_empty() => Ok(done),
        Ok(_) => Err(read_errors),
        Err(mut errors) => {
            read_errors.append(&mut errors);
            Err(read_errors)
        }
    };
    let sources = checked.sources;
    let outcome = match &result {
        Ok((graph, report)) => Outcome::Checked { graph, report },
        Err(errors) => Outcome::Unusable(errors),
    };
    let run = Run {
        sources: &sources,
        inputs: &names,
        license_files: &args.input.licenses,
        kb: &kb,
        outcome,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let written = write_report(&run, args, color);
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("mglint: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    let Ok((_, report)) = &result else {
        return ExitCode::from(2);
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity <= t));
    // The process ends here: freeing a million-node graph and report one allocation at a
    // time would only cost time (seconds at hub scale), so leave it to the OS.
    std::mem::forget(result);
    std::mem::forget(sources);
    ExitCode::from(u8::from(failed))
}

fn run_import(args: &ImportArgs) -> ExitCode {
    let max_bytes = args.input.max_bytes();
    let mut errors = Vec::new();
    let (kb, mut sources) = knowledge_base(&args.input.licenses, max_bytes, &mut errors);
    let inputs = read_inputs(&args.input.files, max_bytes, &mut errors);
    let loaded = crate::import::load(
        &mut sources,
        inputs,
        &kb,
        &args.input.import_options(),
        &crate::syntax::Limits::default(),
    );
    let graph = match loaded {
        Ok(graph) if errors.is_empty() => graph,
        other => {
            if let Err(mut more) = other {
                errors.append(&mut more);
            }
            let names = args.input.names();
            let run = Run {
                sources: &sources,
                inputs: &names,
                license_files: &args.input.licenses,
                kb: &kb,
                outcome: Outcome::Unusable(&errors),
            };
            let _ = crate::render::text::write(&run, TextOptions::default(), &mut std::io::stderr().lock());
            return ExitCode::from(2);
        }
    };
    let result = open_output(args.output.as_deref()).and_then(|mut out| {
        let json = args.format == ImportFormat::Json;
        crate::render::graph::write(&graph, &args.input.names(), json, &mut out)?;
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
    }
    out.flush()
}
