//! `mosaic login|logout|key rotate|version|completions`.

use std::io::{BufRead, IsTerminal};

use clap::CommandFactory;
use mosaic_client::Client;
use serde_json::json;

use crate::args::{Cli, Global};
use crate::{Failure, Outcome, print_json, saved, trusting};

pub(crate) async fn login(global: &Global, user: &str, password_stdin: bool) -> Outcome {
    let password = read_password(password_stdin)?;
    let client = trusting(Client::builder().base_url(&global.url), global)
        .login(user, password)
        .build()?;
    client.login().await?;
    let token = client
        .session_token()
        .ok_or_else(|| Failure::Refused("the server signed in without a session".into()))?;
    let path = saved::save(&global.url, &token)?;
    if global.json {
        return print_json(&json!({"ok": true, "user": user}));
    }
    println!("signed in as {user}; session saved in {}", path.display());
    Ok(())
}

/// The password from a hidden prompt, or a line of standard input when it
/// is not a terminal or `--password-stdin` says so.
fn read_password(from_stdin: bool) -> Result<String, Failure> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Usage(format!("cannot read the password: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        rpassword::prompt_password("password: ")
            .map_err(|e| Failure::Usage(format!("cannot read the password: {e}")))?
    };
    if password.is_empty() {
        return Err(Failure::Usage("the password is empty".into()));
    }
    Ok(password)
}

pub(crate) async fn logout(client: &Client, global: &Global) -> Outcome {
    let result = client.logout().await;
    saved::forget();
    result?;
    if global.json {
        return print_json(&json!({"ok": true}));
    }
    println!("signed out");
    Ok(())
}

pub(crate) async fn rotate_key(client: &Client, json: bool) -> Outcome {
    let key = client.rotate_api_key().await?;
    if json {
        return print_json(&json!({"api_key": key}));
    }
    println!("{key}");
    eprintln!("the old key no longer works: update MOSAIC_API_KEY");
    Ok(())
}

/// The client's version, then the server's (which needs no credentials).
pub(crate) async fn version(global: &Global) -> Outcome {
    let client = trusting(Client::builder().base_url(&global.url), global).build()?;
    let server = client.version().await;
    let ours = env!("CARGO_PKG_VERSION");
    if global.json {
        let server = server?;
        return print_json(&json!({"client": ours, "server": server}));
    }
    println!("mosaic {ours}");
    println!("server {}", server?);
    Ok(())
}

pub(crate) fn completions(shell: clap_complete::Shell) -> Outcome {
    clap_complete::generate(shell, &mut Cli::command(), "mosaic", &mut std::io::stdout());
    Ok(())
}
