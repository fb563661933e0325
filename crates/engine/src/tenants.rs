use custodian_core::TenantId;
use custodian_store::{NewAuditEvent, Outcome, Tenant};

use crate::{Actor, Engine, EngineError};

impl Engine {
    /// Creates a tenant. The name must be 1–100 printable characters and unique; the default
    /// region, if given, an ISO 3166-1 alpha-2 code.
    pub async fn create_tenant(
        &self,
        actor: &Actor,
        name: &str,
        default_region: Option<&str>,
    ) -> Result<Tenant, EngineError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(EngineError::Invalid {
                field: "name",
                message: "a tenant name is 1 to 100 printable characters".into(),
            });
        }
        let region = match default_region.map(str::trim) {
            None | Some("") => None,
            Some(r) if r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(r.to_ascii_uppercase())
            }
            Some(r) => {
                return Err(EngineError::Invalid {
                    field: "default_region",
                    message: format!(
                        "`{r}` is not a region; use an ISO 3166-1 alpha-2 code such as NL or US"
                    ),
                });
            }
        };
        let now = self.clock.now();
        let tenant = Tenant {
            id: TenantId::new(),
            name: name.to_string(),
            default_region: region,
            created_at: now,
        };
        let event = NewAuditEvent {
            at: now,
            actor: actor.to_string(),
            action: "tenant.create".into(),
            tenant: Some(tenant.id),
            targets: vec![tenant.id.to_string()],
            purpose: None,
            outcome: Outcome::Success,
            detail: None,
        };
        self.store.create_tenant(&tenant, &event).await?;
        Ok(tenant)
    }

    /// A tenant by id.
    pub async fn tenant(&self, id: TenantId) -> Result<Tenant, EngineError> {
        self.store
            .tenant(id)
            .await?
            .ok_or(EngineError::NotFound { kind: "tenant" })
    }

    /// Every tenant.
    pub async fn tenants(&self) -> Result<Vec<Tenant>, EngineError> {
        Ok(self.store.tenants().await?)
    }
}
