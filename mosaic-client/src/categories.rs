//! Category routes: named groups of torrents with a default save path.

use mosaic_core::CategoryId;
use mosaic_core::wire::{Category, CategoryUpdate, Created, NewCategory};
use reqwest::Method;

use crate::client::{Body, Client};
use crate::error::Result;

impl Client {
    /// Every category, by name.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.call(Method::GET, "api/categories", Body::Empty).await
    }

    /// Creates a category and answers its id.
    ///
    /// # Errors
    /// `409 category already exists`; `400` for a bad colour or save path.
    pub async fn create_category(&self, category: &NewCategory) -> Result<CategoryId> {
        let created: Created = self
            .call(Method::POST, "api/categories", Body::json(category)?)
            .await?;
        Ok(created.id)
    }

    /// Changes the fields of a category that are set in `update`.
    ///
    /// # Errors
    /// `404 category not found`; `409` when renamed to a taken name.
    pub async fn update_category(&self, update: &CategoryUpdate) -> Result<()> {
        self.call_ok(Method::PUT, "api/categories", Body::json(update)?)
            .await
    }

    /// Deletes a category; its torrents stay, without a category.
    ///
    /// # Errors
    /// `404 category not found`.
    pub async fn delete_category(&self, id: CategoryId) -> Result<()> {
        let path = format!("api/categories/{id}");
        self.call_ok(Method::DELETE, &path, Body::Empty).await
    }
}
