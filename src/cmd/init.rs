//! `mxspec init [DIR]`: starts a specification project.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `mxspec init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new project (created; it must be empty). Default: the current one.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// Writes the starter project and says what to do next.
pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let written = mxspec::init::init(&args.dir)?;
    for path in &written {
        println!("created {}", path.display());
    }
    let cd = if args.dir == std::path::Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", args.dir.display())
    };
    println!();
    println!("A specification project is ready. Next:");
    println!("  {cd}mxspec serve    # preview at http://127.0.0.1:8000/, reloading on every save");
    println!("  mxspec check    # schemas and examples, before a commit");
    println!("  mxspec build    # everything, pages included; the site, in site/");
    Ok(ExitCode::SUCCESS)
}
