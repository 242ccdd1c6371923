use std::process::ExitCode;

use clap::Parser;
use server::{
    cli::{Cli, Command, GuidesCommand},
    config::Config,
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let large_blocks_returned = server::memory::return_large_blocks();
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), |key| std::env::var(key).ok()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("frontline: {err}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&config.log_filter, config.log_format);
    if !large_blocks_returned {
        tracing::warn!(
            "cannot set the allocator's mmap threshold; freed memory may stay with the process"
        );
    }

    match cli.command {
        Some(Command::DemoData { size, seed }) => return demo_data(&config, size, seed).await,
        Some(Command::User(user)) => return add_user(&config, user.into_new_user()).await,
        Some(Command::Guides(command)) => return run_guides(&config, command).await,
        None => {}
    }
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run_guides(config: &Config, command: GuidesCommand) -> ExitCode {
    let done = match command {
        GuidesCommand::Export => server::guides::export(config).await.map(|document| {
            println!("{document}");
        }),
        GuidesCommand::Import { file: path } => server::guides::import(config, &path)
            .await
            .map(|version| println!("Imported {} as guide version {version}.", path.display())),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn demo_data(config: &Config, size: u64, seed: u64) -> ExitCode {
    match server::demo::fill_database(config, size, seed).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn add_user(config: &Config, user: server::users::NewUser) -> ExitCode {
    let reset = user.reset;
    let done = if reset {
        server::users::set_password(config, user).await
    } else {
        server::users::add(config, user).await
    };
    match done {
        Ok((person, generated)) => {
            if reset {
                println!(
                    "New password set for {} <{}>; their other sessions have ended.",
                    person.name, person.email
                );
            } else {
                println!(
                    "Added {} <{}> as {}.",
                    person.name,
                    person.email,
                    person.role.code()
                );
            }
            if let Some(password) = generated {
                println!("Password (shown once; they can change it under Account): {password}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}
