//! Who may do what: users with a role, their login sessions and API tokens.
//!
//! Passwords are kept only as Argon2id hashes (PHC strings); sessions and
//! API tokens only as BLAKE3 hashes of random 256-bit secrets, so a copy of
//! the database gives no way in.

use crate::{now_rfc3339, trusted, Error, Result, Store};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// What a user may do. Each role may do what the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees published data.
    Reader,
    /// Also writes assessments and decides on evidence suggestions.
    Analyst,
    /// Also ingests documents and manages users.
    Admin,
}

impl Role {
    /// Every role, weakest first.
    pub const ALL: [Role; 3] = [Role::Reader, Role::Analyst, Role::Admin];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// A user, without credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Login name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// When the user was made (RFC 3339).
    pub created_at: String,
}

impl User {
    /// Whether the user's role includes `needed`.
    pub fn can(&self, needed: Role) -> bool {
        self.role >= needed
    }
}

/// An API token as listed: its label, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// The first characters of the token's hash, to tell tokens apart.
    pub id: String,
    /// Whose token it is.
    pub user: String,
    /// What the token is for.
    pub label: String,
    /// When it was made.
    pub created_at: String,
}

const MIN_PASSWORD: usize = 8;

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "user name {name:?}: use 1 to 64 letters, digits, '.', '_', '@' or '-'"
        )))
    }
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Error::Invalid(format!(
            "the password is too short: use at least {MIN_PASSWORD} characters"
        )));
    }
    Ok(())
}

/// Hashes a password with Argon2id and a random salt, off the async
/// threads (it takes tens of milliseconds on purpose).
async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Invalid(format!("cannot hash the password: {e}")))
    })
    .await
    .map_err(|e| Error::Invalid(format!("cannot hash the password: {e}")))?
}

/// Checks a password against a stored hash; `None` checks it against a
/// throw-away hash, so that an unknown user costs the same time as a known
/// one (no user-name oracle).
async fn verify_password(password: &str, hash: Option<String>) -> bool {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A new random secret with a recognisable prefix.
fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

fn secret_hash(secret: &str) -> String {
    blake3::hash(secret.as_bytes()).to_hex().to_string()
}

fn user_row(r: &AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        name: r.try_get("name")?,
        role: Role::parse(&role)
            .ok_or_else(|| Error::Invalid(format!("stored role {role:?} is unknown")))?,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// Adds a user. `actor` is who did it, for the audit log.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        password: &str,
        actor: &str,
    ) -> Result<User> {
        check_name(name)?;
        check_password(password)?;
        let hash = hash_password(password).await?;
        let user = User {
            name: name.to_string(),
            role,
            created_at: now_rfc3339(),
        };
        let mut tx = self.write_tx().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&user.name)
        .bind(role.as_str())
        .bind(&hash)
        .bind(&user.created_at)
        .execute(&mut *tx)
        .await;
        if let Err(sqlx::Error::Database(e)) = &inserted {
            if e.is_unique_violation() {
                return Err(Error::Conflict(format!("user {name} already exists")));
            }
        }
        inserted?;
        crate::audit(
            &mut tx,
            actor,
            "user.add",
            name,
            json!({"role": role.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes a user's role.
    /// Refused when it would leave the ledger without an admin.
    pub async fn set_role(&self, name: &str, role: Role, actor: &str) -> Result<()> {
        let mut tx = self.write_tx().await?;
        if role != Role::Admin {
            keep_an_admin(&mut tx, name).await?;
        }
        let n = sqlx::query("UPDATE users SET role = $1 WHERE name = $2")
            .bind(role.as_str())
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("user {name}")));
        }
        crate::audit(
            &mut tx,
            actor,
            "user.role",
            name,
            json!({"role": role.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a user's password; their sessions end.
    pub async fn set_password(&self, name: &str, password: &str, actor: &str) -> Result<()> {
        check_password(password)?;
        let hash = hash_password(password).await?;
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
            .bind(&hash)
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("user {name}")));
        }
        sqlx::query("DELETE FROM sessions WHERE user_name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        crate::audit(&mut tx, actor, "user.password", name, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a user with their sessions and tokens. What they wrote
    /// (assessments, the audit log) stays, under their name.
    /// Refused when it would leave the ledger without an admin.
    pub async fn remove_user(&self, name: &str, actor: &str) -> Result<()> {
        let mut tx = self.write_tx().await?;
        keep_an_admin(&mut tx, name).await?;
        for sql in [
            "DELETE FROM sessions WHERE user_name = $1",
            "DELETE FROM api_tokens WHERE user_name = $1",
        ] {
            sqlx::query(sql).bind(name).execute(&mut *tx).await?;
        }
        let n = sqlx::query("DELETE FROM users WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("user {name}")));
        }
        crate::audit(&mut tx, actor, "user.remove", name, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT name, role, created_at FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_row).collect()
    }

    /// The user, if the name and password match.
    pub async fn login(&self, name: &str, password: &str) -> Result<Option<User>> {
        let row =
            sqlx::query("SELECT name, role, created_at, password_hash FROM users WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else {
            let _ = verify_password(password, None).await;
            return Ok(None);
        };
        let hash: String = row.try_get("password_hash")?;
        if verify_password(password, Some(hash)).await {
            Ok(Some(user_row(&row)?))
        } else {
            Ok(None)
        }
    }

    /// Starts a login session of `hours` hours; returns its secret (for a
    /// cookie).
    pub async fn start_session(&self, name: &str, hours: i64) -> Result<String> {
        let secret = new_secret("s_");
        let now = chrono_like_now();
        let expires = (now + hours * 3600).to_string();
        // Expired sessions go as new ones come, in one statement however
        // many there are.
        sqlx::query("DELETE FROM sessions WHERE CAST(expires_at AS BIGINT) < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_name, expires_at) VALUES ($1, $2, $3)")
            .bind(secret_hash(&secret))
            .bind(name)
            .bind(expires)
            .execute(&self.pool)
            .await?;
        Ok(secret)
    }

    /// The user of a live session.
    pub async fn session_user(&self, secret: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.name, u.role, u.created_at, s.expires_at FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = $1",
        )
        .bind(secret_hash(secret))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: String = row.try_get("expires_at")?;
        if expires.parse::<i64>().unwrap_or(0) < chrono_like_now() {
            return Ok(None);
        }
        Ok(Some(user_row(&row)?))
    }

    /// Ends a session.
    pub async fn end_session(&self, secret: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(secret_hash(secret))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Makes an API token for a user; returns the secret, which is not
    /// stored and cannot be shown again.
    pub async fn create_token(&self, user: &str, label: &str, actor: &str) -> Result<String> {
        let label = crate::without_nul(label);
        let secret = new_secret("acc_");
        let mut tx = self.write_tx().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE name = $1")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(Error::NotFound(format!("user {user}")));
        }
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_name, label, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(secret_hash(&secret))
        .bind(user)
        .bind(&label)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        crate::audit(
            &mut tx,
            actor,
            "token.create",
            user,
            json!({"label": label}),
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The user an API token belongs to.
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.name, u.role, u.created_at FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.token_hash = $1",
        )
        .bind(secret_hash(secret))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| user_row(&r)).transpose()
    }

    /// Every API token (never their secrets).
    pub async fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let rows = sqlx::query(
            "SELECT token_hash, user_name, label, created_at FROM api_tokens ORDER BY user_name, created_at",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get("token_hash")?;
                Ok(TokenInfo {
                    id: hash[..12.min(hash.len())].to_string(),
                    user: r.try_get("user_name")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Revokes the token whose id (hash prefix, see [`TokenInfo`]) is given.
    pub async fn revoke_token(&self, id: &str, actor: &str) -> Result<()> {
        if id.len() < 8 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::Invalid(format!("{id:?} is not a token id")));
        }
        let mut tx = self.write_tx().await?;
        let sql = format!(
            "DELETE FROM api_tokens WHERE {} = 1",
            self.backend.instr("token_hash", "$1")
        );
        let n = sqlx::query(trusted(sql))
            .persistent(false)
            .bind(id.to_ascii_lowercase())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("token {id}")));
        }
        crate::audit(&mut tx, actor, "token.revoke", id, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Refuses (inside a write transaction) a change that would take the last
/// admin's role away from `name`.
async fn keep_an_admin(tx: &mut sqlx::Transaction<'static, sqlx::Any>, name: &str) -> Result<()> {
    let admins: Vec<String> = sqlx::query_scalar("SELECT name FROM users WHERE role = 'admin'")
        .fetch_all(&mut **tx)
        .await?;
    if admins.len() == 1 && admins[0] == name {
        return Err(Error::Invalid(format!(
            "{name} is the last admin: make another admin first"
        )));
    }
    Ok(())
}

/// Seconds since the epoch.
fn chrono_like_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The hash of a random password, made once.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut password = [0u8; 16];
    OsRng.fill_bytes(&mut password);
    Argon2::default()
        .hash_password(&password, &SaltString::generate(&mut OsRng))
        .map(|h| h.to_string())
        .unwrap_or_default()
});
