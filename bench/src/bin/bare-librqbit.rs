//! The smallest program that downloads a torrent with librqbit: the same
//! engine Mosaic embeds, with none of Mosaic around it (no API, no store,
//! no ticks). The download benchmark runs it beside Mosaic to show what
//! Mosaic's layers cost.
//!
//! `bare-librqbit <file.torrent> <output folder> [<go file>]` (the folder
//! receives the torrent's files themselves, as librqbit does) listens on
//! 127.0.0.1 (DHT and local discovery off), prints `ready` once the session
//! runs, waits until the go file exists (so the caller can read its
//! counters first), adds the torrent, prints `finished <seconds>` when
//! every piece is verified, and then waits to be killed so that its CPU
//! time and peak memory can still be read from `/proc`.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use anyhow::Context;
use librqbit::{
    AddTorrent, AddTorrentOptions, ListenerMode, ListenerOptions, Session, SessionOptions,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(torrent), Some(output)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: bare-librqbit <file.torrent> <output folder> [<go file>]");
    };
    let go = args.next();
    let bytes = std::fs::read(&torrent).with_context(|| format!("reading {torrent}"))?;

    let options = SessionOptions {
        dht: None,
        disable_local_service_discovery: true,
        listen: Some(ListenerOptions {
            mode: ListenerMode::TcpOnly,
            listen_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            ipv4_only: true,
            ..ListenerOptions::default()
        }),
        ..SessionOptions::default()
    };
    let session = Session::new_with_opts(output.clone().into(), options).await?;
    println!("ready");
    if let Some(go) = go {
        while !std::path::Path::new(&go).exists() {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }

    let started = Instant::now();
    let add = AddTorrentOptions {
        output_folder: Some(output),
        overwrite: true,
        ..AddTorrentOptions::default()
    };
    let handle = session
        .add_torrent(AddTorrent::from_bytes(bytes), Some(add))
        .await?
        .into_handle()
        .context("librqbit did not start the torrent")?;
    handle.wait_until_completed().await?;
    println!("finished {:.3}", started.elapsed().as_secs_f64());

    // Stay alive until killed: the bench reads this process's counters.
    std::future::pending::<()>().await;
    Ok(())
}
