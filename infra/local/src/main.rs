//! `instainstru-local`: run the whole platform on this machine.

use std::{path::PathBuf, time::Duration};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use instainstru_local::{
    functions,
    platform::{self, DATABASE_FILE, Options, Platform},
};
use instainstru_shared::seed::{self, SeedOutcome};

#[derive(Parser)]
#[command(name = "instainstru-local", about = "The InstaInstru backend on one machine", version)]
struct Cli {
    /// Folder for the SQLite database and development keys.
    #[arg(long, global = true, env = "INSTAINSTRU_DATA_DIR", default_value = ".local")]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve every function on one address (the default).
    Serve {
        #[arg(long, env = "HOST", default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        #[arg(long, short, env = "PORT", default_value_t = 3000)]
        port: u16,
        /// Keep everything in memory: a throwaway run.
        #[arg(long)]
        memory: bool,
    },
    /// Write the demo data (skipped if this exact seed is already there).
    Seed {
        /// Seed this DynamoDB table on AWS (a deployed stage's `TableName` output) instead of
        /// the local database, with the usual AWS credentials, region and `AWS_ENDPOINT_URL`.
        #[arg(long)]
        table: Option<String>,
    },
    /// Delete the local database, then seed afresh.
    Reset,
    /// Print the whole-API OpenAPI document (what openapi.json must contain).
    Openapi,
    /// Print the newest mail the platform has "sent" (password-reset links and the like).
    /// Works while the platform is running.
    Outbox {
        /// How many mails, newest first.
        #[arg(long, short, default_value_t = 5)]
        limit: u32,
    },
    /// Run the daily analytics job for one past day (default: yesterday, New York), or
    /// backfill every day from --date to --until with a progress bar. Idempotent: rerunning
    /// a day rewrites the same figures.
    Daily {
        /// The (first) day, YYYY-MM-DD.
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        /// Last day of a backfill, inclusive.
        #[arg(long)]
        until: Option<jiff::civil::Date>,
    },
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("seeding {bar:40} {pos}/{len} items")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The demo data into `store`, with the progress bar.
async fn seed_with_progress(
    store: &instainstru_shared::store::Store,
    clock: &dyn instainstru_shared::clock::Clock,
) -> Result<SeedOutcome, String> {
    let bar = progress_bar();
    let outcome = seed::apply(store, clock, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    Ok(outcome)
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,dynoxide=error"));
    // Logs go to stderr; stdout carries only the banner and command output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .compact()
        .try_init();
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let cli = Cli::parse();
    init_tracing();
    match cli.command.unwrap_or(Command::Serve { host: [127, 0, 0, 1].into(), port: 3000, memory: false }) {
        Command::Serve { host, port, memory } => serve(host, port, (!memory).then_some(cli.data_dir)).await,
        Command::Seed { table: None } => seed_command(&cli.data_dir).await,
        Command::Seed { table: Some(table) } => seed_table(&table).await,
        Command::Reset => {
            for suffix in ["", "-wal", "-shm"] {
                let path = cli.data_dir.join(format!("{DATABASE_FILE}{suffix}"));
                if path.exists() {
                    std::fs::remove_file(&path).map_err(|e| format!("remove {path:?}: {e}"))?;
                }
            }
            println!("removed the local database in {}", cli.data_dir.display());
            seed_command(&cli.data_dir).await
        }
        Command::Openapi => {
            print!("{}", functions::openapi_json());
            Ok(())
        }
        Command::Outbox { limit } => outbox_command(&cli.data_dir, limit).await,
        Command::Daily { date, until } => daily_command(&cli.data_dir, date, until).await,
    }
}

async fn daily_command(
    data_dir: &std::path::Path,
    date: Option<jiff::civil::Date>,
    until: Option<jiff::civil::Date>,
) -> Result<(), String> {
    let backend = platform::open_backend(Some(data_dir), Duration::from_secs(2)).await?;
    let state = backend.state.for_function(instainstru_shared::function::Function::AnalyticsDaily);
    let now = state.clock.now();
    let first = date.unwrap_or_else(|| instainstru_shared::analytics::daily::day_for_schedule(now));
    let last = until.unwrap_or(first);
    if last < first {
        return Err("--until must not be before --date".into());
    }
    let days = instainstru_shared::analytics::Window { start: first, end: last }.dates();
    let bar = ProgressBar::new(days.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("daily job {bar:40} {pos}/{len} days ({msg})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for day in days {
        bar.set_message(day.to_string());
        let outcome = instainstru_analytics::run_for_day(&state, day).await?;
        instainstru_shared::analytics::daily::record_run(&state.store, now, state.clock.now(), day)
            .await
            .map_err(|e| e.to_string())?;
        bar.inc(1);
        bar.println(format!(
            "{day}: {} searches, {} bookings created, {} services, {} reordered",
            outcome.report.searches, outcome.report.bookings_created, outcome.services, outcome.reordered
        ));
    }
    bar.finish_with_message("done");
    Ok(())
}

async fn outbox_command(data_dir: &std::path::Path, limit: u32) -> Result<(), String> {
    let backend = platform::open_backend(Some(data_dir), Duration::from_secs(2)).await?;
    let mails = backend.outbox.recent(limit).await.map_err(|e| e.to_string())?;
    if mails.is_empty() {
        println!("the outbox in {} is empty", data_dir.display());
    }
    for mail in mails {
        println!("=== {}  to {}", mail.sent_at, mail.mail.to);
        println!("Subject: {}\n", mail.mail.subject);
        println!("{}", mail.mail.text);
    }
    Ok(())
}

async fn seed_command(data_dir: &std::path::Path) -> Result<(), String> {
    let backend = platform::open_backend(Some(data_dir), Duration::from_secs(2)).await?;
    let outcome = seed_with_progress(&backend.store, backend.state.clock.as_ref()).await?;
    match outcome {
        SeedOutcome::Seeded { items } => println!("seeded {items} items into {}", data_dir.display()),
        SeedOutcome::AlreadySeeded => println!("{} already holds this seed; nothing to do", data_dir.display()),
    }
    Ok(())
}

/// The demo data into a deployed stage's table (the table must exist: the stack creates it).
async fn seed_table(table: &str) -> Result<(), String> {
    let sdk = aws_config::load_from_env().await;
    let store = instainstru_shared::store::Store::new(aws_sdk_dynamodb::Client::new(&sdk), table);
    let outcome = seed_with_progress(&store, &instainstru_shared::clock::SystemClock).await?;
    match outcome {
        SeedOutcome::Seeded { items } => println!("seeded {items} items into table {table}"),
        SeedOutcome::AlreadySeeded => println!("table {table} already holds this seed; nothing to do"),
    }
    Ok(())
}

async fn serve(host: std::net::IpAddr, port: u16, data_dir: Option<PathBuf>) -> Result<(), String> {
    let bar = progress_bar();
    let options = Options { host, port, data_dir: data_dir.clone(), ..Options::default() };
    let platform = Platform::start(options, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    let base = platform.base_url();
    let storage = match &data_dir {
        Some(dir) => dir.join(DATABASE_FILE).display().to_string(),
        None => "in memory".to_owned(),
    };
    let data = match platform.seeded {
        SeedOutcome::Seeded { items } => format!("seeded {items} demo items"),
        SeedOutcome::AlreadySeeded => "demo data already present".to_owned(),
    };
    println!("InstaInstru local platform is up");
    println!("  API       {base}/api/v1");
    println!("  OpenAPI   {base}/api/v1/openapi.json");
    println!("  Docs      {base}/api/v1/docs");
    println!("  Dashboard {base}/api/v1/admin/dashboard   (sign in as the seeded admin, README)");
    println!("  DynamoDB  {} (dynoxide, {storage}; {data})", platform.backend.dynamo.url);
    println!(
        "  Queues    events -> analytics-worker, notifications -> booking-notify; daily job at 02:30 America/New_York"
    );
    println!("  Login     any seeded user (e.g. admin@instainstru.com), password {}", seed::DEMO_PASSWORD);
    println!("  Mail      instainstru-local outbox   (password resets and booking mail land there)");
    println!("Ctrl-C to stop.");
    let _ = tokio::signal::ctrl_c().await;
    platform.stop().await;
    Ok(())
}
