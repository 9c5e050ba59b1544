//! Bearer tokens and roles.
//!
//! A token is 32 random bytes written as `rp_` and 64 hex digits. Only its SHA-256
//! hash is stored; the token itself is shown once, when it is created. Roles are
//! ordered: a reader may GET, an editor may also record updates, overrides and
//! imports, an admin may also delete plans. A handler says which role it needs by the
//! type of its [`Caller`]: `Caller<Reader>`, `Caller<Editor>`, `Caller<Admin>`.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::store::TokenInfo;

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

/// A role a route needs, as a type: the parameter of [`Caller`].
pub trait Required: Send + Sync + 'static {
    /// The role.
    const ROLE: Role;
}

/// Needs the reader role (or above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader;

/// Needs the editor role (or above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Editor;

/// Needs the admin role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admin;

impl Required for Reader {
    const ROLE: Role = Role::Reader;
}

impl Required for Editor {
    const ROLE: Role = Role::Editor;
}

impl Required for Admin {
    const ROLE: Role = Role::Admin;
}

/// The authenticated caller of a request whose role is at least `R`'s: a handler
/// that takes a `Caller<Editor>` is only reached by editors and admins. The route
/// table reads the role from the handler's type, for the OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller<R = Reader> {
    /// The token's name, recorded in the audit log as who made a change.
    pub name: String,
    /// The token's role.
    pub role: Role,
    needs: PhantomData<R>,
}

impl<R> Caller<R> {
    /// Refuses the caller with 403 unless its role is at least `needed`: for a
    /// request whose query asks for more than its route needs (a re-import that
    /// prunes).
    ///
    /// # Errors
    /// [`ApiError::Forbidden`], naming both roles.
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        allow(self.role, needed)
    }
}

/// Refuses `has` with 403 unless it is at least `needed`.
fn allow(has: Role, needed: Role) -> Result<(), ApiError> {
    if has >= needed {
        Ok(())
    } else {
        Err(ApiError::Forbidden { needed: needed.as_str(), has: has.as_str() })
    }
}

/// The bearer token of a request: 401 when missing or not a bearer token.
fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("send Authorization: Bearer <token>".into()))?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header is not a bearer token".into())
        })
}

/// The token whose secret is `secret`, when it is known, not revoked and of at least
/// the `needed` role: the one check of a bearer token, and of the token the
/// dashboard's sign-in form is given.
///
/// # Errors
/// [`ApiError::Unauthorized`] for a token unknown or revoked, [`ApiError::Forbidden`]
/// for one below `needed`, [`ApiError::Internal`] when the store fails.
pub(crate) async fn authenticate(
    state: &AppState,
    secret: &str,
    needed: Role,
) -> Result<TokenInfo, ApiError> {
    let hash = hash_token(secret);
    let store = state.store.clone();
    let token = crate::blocking(move || store.token_by_hash(&hash)).await?;
    let token = token
        .filter(|t| t.revoked_at.is_none())
        .ok_or_else(|| ApiError::Unauthorized("the token is unknown or revoked".into()))?;
    allow(token.role, needed)?;
    Ok(token)
}

/// Reads the bearer token (401 when missing, malformed, unknown or revoked), then
/// checks its role (403 when below `R`'s).
impl<R: Required> FromRequestParts<AppState> for Caller<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = authenticate(state, bearer(parts)?, R::ROLE).await?;
        Ok(Caller { name: token.name, role: token.role, needs: PhantomData })
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
    fn roles_allow_the_roles_below_them() {
        assert!(allow(Role::Editor, Role::Reader).is_ok());
        assert!(allow(Role::Editor, Role::Editor).is_ok());
        assert!(matches!(allow(Role::Editor, Role::Admin), Err(ApiError::Forbidden { .. })));
        assert_eq!(
            [Reader::ROLE, Editor::ROLE, Admin::ROLE],
            [Role::Reader, Role::Editor, Role::Admin]
        );
    }
}
