//! Bearer tokens and roles.
//!
//! A token is 32 random bytes written as `rp_` and 64 hex digits. Only its SHA-256
//! hash is stored; the token itself is shown once, when it is created. Roles are
//! ordered: a reader may GET, an editor may also record updates, overrides and
//! imports, an admin may also delete plans.

use std::fmt;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;

/// What a token may do. Each role may do everything the roles before it may.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Read plans, assessments, lints, reports and history.
    Reader,
    /// Also record updates and overrides, create, import and re-import plans.
    Editor,
    /// Also delete plans.
    Admin,
}

impl Role {
    /// The role's name as written in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; use reader, editor or admin")]
pub struct ParseRoleError(pub String);

impl FromStr for Role {
    type Err = ParseRoleError;
    fn from_str(text: &str) -> Result<Role, ParseRoleError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "reader" => Ok(Role::Reader),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(ParseRoleError(text.to_owned())),
        }
    }
}

/// A new token: the secret (shown once) and its hash (stored).
#[derive(Clone)]
pub struct NewToken {
    /// The bearer token to give to the client.
    pub secret: String,
    /// Its SHA-256 hash, in hex.
    pub hash: String,
}

impl fmt::Debug for NewToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewToken").field("hash", &self.hash).finish_non_exhaustive()
    }
}

impl NewToken {
    /// A fresh random token.
    pub fn generate() -> NewToken {
        let bytes: [u8; 32] = rand::random();
        let secret = format!("rp_{}", hex::encode(bytes));
        let hash = hash_token(&secret);
        NewToken { secret, hash }
    }
}

/// The SHA-256 hash of a token, in hex: what the store keeps.
pub fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The authenticated caller of a request: the token's name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's id in the store.
    pub token_id: i64,
    /// The token's name, recorded in the audit log as who made a change.
    pub name: String,
    /// The token's role.
    pub role: Role,
}

impl Caller {
    /// Refuses with 403 unless the caller's role is at least `needed`.
    ///
    /// # Errors
    /// [`ApiError::Forbidden`] naming both roles.
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(ApiError::Forbidden { needed: needed.as_str(), has: self.role.as_str() })
        }
    }
}

/// Reads the bearer token: 401 when missing, malformed, unknown or revoked.
impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::Unauthorized("send Authorization: Bearer <token>".into()))?;
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized("the Authorization header is not a bearer token".into())
            })?;
        let hash = hash_token(secret);
        let store = state.store.clone();
        let token = crate::blocking(move || store.token_by_hash(&hash)).await?;
        let token = token
            .filter(|t| t.revoked_at.is_none())
            .ok_or_else(|| ApiError::Unauthorized("the token is unknown or revoked".into()))?;
        let caller = Caller { token_id: token.id, name: token.name, role: token.role };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_parse() {
        assert!(Role::Reader < Role::Editor && Role::Editor < Role::Admin);
        for role in [Role::Reader, Role::Editor, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("owner".parse::<Role>().is_err());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (NewToken::generate(), NewToken::generate());
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 3 + 64);
        assert_eq!(a.hash, hash_token(&a.secret));
        assert_eq!(a.hash.len(), 64);
        assert!(!format!("{a:?}").contains(&a.secret));
        // SHA-256 of "abc", from FIPS 180-2.
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn require_compares_roles() {
        let caller = Caller { token_id: 1, name: "dash".into(), role: Role::Editor };
        assert!(caller.require(Role::Reader).is_ok());
        assert!(caller.require(Role::Editor).is_ok());
        assert!(matches!(caller.require(Role::Admin), Err(ApiError::Forbidden { .. })));
    }
}
