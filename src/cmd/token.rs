//! `ragplan token`: create, list and revoke the API's bearer tokens.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ragplan_api::store::sqlite_file;
use ragplan_api::{OpenedStore, Role, create_token};

/// Flags of `ragplan token`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan token create --role editor --name case-system
  TOKEN=$(ragplan token create --role reader --name dashboard | tail -n 1)
  ragplan token list
  ragplan token revoke 3

Roles: reader (GET), editor (also updates, overrides, imports), admin (also deletes).
A token is shown once, when it is created; only its SHA-256 hash is stored.")]
pub struct Args {
    #[command(subcommand)]
    pub command: TokenCommand,
}

/// What to do with tokens.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (alone on the last line).
    Create {
        /// reader, editor or admin.
        #[arg(long, value_name = "ROLE")]
        role: Role,
        /// Who or what uses the token (recorded in the audit log).
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The SQLite database file, or a PostgreSQL URL (as `ragplan serve --db`).
        #[arg(long, value_name = "PATH|URL", default_value = "ragplan.db")]
        db: PathBuf,
    },
    /// List the tokens (never their secrets).
    List {
        /// The SQLite database file, or a PostgreSQL URL (as `ragplan serve --db`).
        #[arg(long, value_name = "PATH|URL", default_value = "ragplan.db")]
        db: PathBuf,
    },
    /// Revoke a token by its id (from `ragplan token list`).
    Revoke {
        /// The token's id.
        id: i64,
        /// The SQLite database file, or a PostgreSQL URL (as `ragplan serve --db`).
        #[arg(long, value_name = "PATH|URL", default_value = "ragplan.db")]
        db: PathBuf,
    },
}

/// The store `--db` names: a SQLite file, or a PostgreSQL database by its URL
/// (whose password no message repeats).
pub fn open(db: &Path) -> anyhow::Result<OpenedStore> {
    OpenedStore::open(db.as_os_str()).map_err(|e| match sqlite_file(db.as_os_str()) {
        // A URL's error names the database without its password; a file's, the file.
        None => anyhow::anyhow!("{e}"),
        Some(file) => {
            anyhow::Error::new(e).context(format!("cannot open the database {}", file.display()))
        }
    })
}

/// Runs `ragplan token`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        TokenCommand::Create { role, name, db } => {
            let name = name.trim();
            anyhow::ensure!(!name.is_empty(), "--name must not be blank");
            let store = open(&db)?.store();
            let (info, token) = create_token(store.as_ref(), name, role, chrono::Utc::now())?;
            println!(
                "Created {} token {} ({:?}); it is shown only once, keep it:",
                info.role, info.id, info.name
            );
            println!("{}", token.secret);
        }
        TokenCommand::List { db } => {
            let store = open(&db)?.store();
            let tokens = store.tokens()?;
            if tokens.is_empty() {
                println!("no tokens");
            }
            for t in tokens {
                let state = match &t.revoked_at {
                    Some(at) => format!("revoked {at}"),
                    None => "active".to_owned(),
                };
                println!(
                    "{:>4}  {:<7} {:<24} created {}  {state}",
                    t.id, t.role, t.name, t.created_at
                );
            }
        }
        TokenCommand::Revoke { id, db } => {
            let store = open(&db)?.store();
            if !store.revoke_token(id, chrono::Utc::now())? {
                anyhow::bail!("no active token has the id {id} (see `ragplan token list`)");
            }
            println!("revoked token {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
