//! `mosaic category list|add|rm|set|edit`.

use mosaic_client::Client;
use mosaic_client::wire::{CategoryUpdate, NewCategory};
use serde_json::json;

use crate::args::CategoryCommand;
use crate::output::Table;
use crate::{Outcome, print_json, resolve};

pub(crate) async fn run(client: &Client, command: CategoryCommand, json: bool) -> Outcome {
    match command {
        CategoryCommand::List => list(client, json).await,
        CategoryCommand::Add {
            name,
            save_path,
            color,
        } => {
            let new = NewCategory {
                name,
                default_save_path: save_path.unwrap_or_default(),
                color,
            };
            let id = client.create_category(&new).await?;
            done(
                json,
                json!({"id": id}),
                &format!("created category {id} {}", new.name),
            )
        }
        CategoryCommand::Rm { category } => {
            let id = category_id(client, &category).await?;
            client.delete_category(id).await?;
            done(json, json!({"ok": true}), &format!("deleted category {id}"))
        }
        CategoryCommand::Set { category, ids } => {
            let category_id = resolve::category(client, &category).await?;
            for id in resolve::torrent_ids(client, &ids).await? {
                client.set_category(id, category_id).await?;
                if !json {
                    println!(
                        "{id} now in {}",
                        category_id.map_or("no category".into(), |c| format!("category {c}"))
                    );
                }
            }
            if json {
                print_json(&json!({"ok": true}))
            } else {
                Ok(())
            }
        }
        CategoryCommand::Edit {
            category,
            name,
            save_path,
            color,
        } => {
            let id = category_id(client, &category).await?;
            let update = CategoryUpdate {
                id,
                name,
                default_save_path: save_path,
                color,
            };
            client.update_category(&update).await?;
            done(json, json!({"ok": true}), &format!("updated category {id}"))
        }
    }
}

async fn list(client: &Client, json: bool) -> Outcome {
    let categories = client.categories().await?;
    if json {
        return print_json(&categories);
    }
    let mut table = Table::new(&[">ID", "NAME", "COLOR", "SAVE PATH"]);
    for c in &categories {
        let path = if c.default_save_path.is_empty() {
            "-".into()
        } else {
            c.default_save_path.clone()
        };
        table.row(vec![
            c.id.to_string(),
            c.name.clone(),
            c.color.clone(),
            path,
        ]);
    }
    print!("{}", table.render());
    Ok(())
}

async fn category_id(
    client: &Client,
    name: &str,
) -> Result<mosaic_client::CategoryId, crate::Failure> {
    resolve::category(client, name)
        .await?
        .ok_or_else(|| crate::Failure::Usage("name a category, not `none`".into()))
}

fn done(json: bool, value: serde_json::Value, text: &str) -> Outcome {
    if json {
        return print_json(&value);
    }
    println!("{text}");
    Ok(())
}
