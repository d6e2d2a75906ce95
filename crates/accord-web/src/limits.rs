//! Limits that keep the server answering when it is pushed: a maximum
//! request body, a time limit per request, and a maximum number of requests
//! in progress. Beyond them a request is refused at once with a clear
//! answer (413, or 503 with `Retry-After`) instead of queueing until the
//! server falls over. And a limit on guessing passwords: login attempts
//! a user name ([`LoginThrottle`]).

use crate::error::{ApiError, Error, PageError};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The server's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body taken, in bytes.
    pub max_body: usize,
    /// Longest a request may take.
    pub timeout: Duration,
    /// Requests answered at once; more are refused with 503.
    pub max_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body: 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_in_flight: 512,
        }
    }
}

/// The limits with the count of requests in progress.
#[derive(Debug, Clone)]
pub struct Guard {
    limits: Limits,
    in_flight: Arc<Semaphore>,
}

impl Guard {
    /// A guard enforcing `limits`.
    pub fn new(limits: Limits) -> Guard {
        Guard {
            in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
            limits,
        }
    }

    /// The limits it enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// A request's place among those in progress (a request extension). The
/// guard gives it up when the handler returns; a response whose body is
/// written after that (a streamed export) takes it ([`InFlight::take`])
/// and keeps it until the body is sent or the client goes away, so that
/// a download counts as in progress for as long as it lasts.
#[derive(Debug, Clone)]
pub struct InFlight(Arc<Mutex<Option<OwnedSemaphorePermit>>>);

impl InFlight {
    /// The request's place, for a body written after the handler returns;
    /// `None` once taken.
    pub fn take(&self) -> Option<OwnedSemaphorePermit> {
        match self.0.lock() {
            Ok(mut place) => place.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }
}

fn refuse(api: bool, error: Error) -> Response {
    if api {
        ApiError(error).into_response()
    } else {
        PageError(error).into_response()
    }
}

/// Middleware: refuses a request when too many are in progress, when its
/// declared body is too large, or when answering takes too long.
pub async fn guard(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > guard.limits.max_body) {
        return refuse(
            api,
            Error::TooLarge(format!(
                "the request body is larger than the {} bytes this server takes",
                guard.limits.max_body
            )),
        );
    }
    let Ok(permit) = guard.in_flight.clone().try_acquire_owned() else {
        return refuse(
            api,
            Error::Busy(format!(
                "the server is answering {} requests already; try again in a moment",
                guard.limits.max_in_flight
            )),
        );
    };
    // Given up when the handler returns, unless its response took it.
    let place = InFlight(Arc::new(Mutex::new(Some(permit))));
    request.extensions_mut().insert(place.clone());
    match tokio::time::timeout(guard.limits.timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refuse(
            api,
            Error::Busy(format!(
                "the request took longer than {} s and was stopped; try again, or narrow it",
                guard.limits.timeout.as_secs()
            )),
        ),
    }
}

/// Login attempts per user name: past `max_attempts` in `window` without
/// a success, more attempts for the name are refused before the password
/// is checked, until the oldest of them is `window` old. A password is
/// then guessed at most `max_attempts` times a window, and refused
/// attempts cost no password hashing. An attempt counts from when it
/// starts, so attempts made at once are counted too.
#[derive(Debug)]
pub struct LoginThrottle {
    max_attempts: usize,
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Most user names whose attempts are remembered: past it the name whose
/// last attempt is oldest is forgotten (a name being guessed now is not).
const THROTTLED_NAMES: usize = 10_000;

impl Default for LoginThrottle {
    /// Ten attempts a quarter of an hour.
    fn default() -> LoginThrottle {
        LoginThrottle::new(10, Duration::from_secs(15 * 60))
    }
}

impl LoginThrottle {
    /// At most `max_attempts` failed logins a name in `window`.
    pub fn new(max_attempts: usize, window: Duration) -> LoginThrottle {
        LoginThrottle {
            max_attempts: max_attempts.max(1),
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Starts an attempt for `name`: `Err` with how long to wait when the
    /// name has had its attempts in the window; else the attempt counts
    /// until [`LoginThrottle::succeeded`] takes it back.
    pub fn attempt(&self, name: &str) -> Result<(), Duration> {
        self.attempt_at(name, Instant::now())
    }

    fn attempt_at(&self, name: &str, now: Instant) -> Result<(), Duration> {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if !attempts.contains_key(name) && attempts.len() >= THROTTLED_NAMES {
            attempts.retain(|_, times| times.back().is_some_and(|t| now - *t < self.window));
            if attempts.len() >= THROTTLED_NAMES {
                let oldest = attempts
                    .iter()
                    .min_by_key(|(_, times)| times.back().copied())
                    .map(|(name, _)| name.clone());
                attempts.remove(&oldest.unwrap_or_default());
            }
        }
        let times = attempts.entry(name.to_string()).or_default();
        while times.front().is_some_and(|t| now - *t >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max_attempts {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now - oldest));
        }
        times.push_back(now);
        Ok(())
    }

    /// The login of `name` succeeded: its attempts are forgotten.
    pub fn succeeded(&self, name: &str) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        attempts.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_has_its_attempts_a_window_and_a_success_forgives() {
        let throttle = LoginThrottle::new(3, Duration::from_secs(60));
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        for s in 0..3 {
            assert_eq!(throttle.attempt_at("ana", at(s * 10)), Ok(()));
        }
        // The fourth waits until the first is a window old.
        assert_eq!(
            throttle.attempt_at("ana", at(30)),
            Err(Duration::from_secs(30))
        );
        assert_eq!(throttle.attempt_at("bob", at(30)), Ok(()), "names apart");
        assert_eq!(throttle.attempt_at("ana", at(60)), Ok(()));
        assert!(throttle.attempt_at("ana", at(61)).is_err());
        throttle.succeeded("ana");
        assert_eq!(throttle.attempt_at("ana", at(62)), Ok(()));
    }

    #[test]
    fn names_past_the_most_remembered_forget_the_stalest() {
        let throttle = LoginThrottle::new(1, Duration::from_secs(3600));
        let start = Instant::now();
        assert_eq!(throttle.attempt_at("target", start), Ok(()));
        for i in 0..THROTTLED_NAMES {
            let at = start + Duration::from_millis(1 + i as u64);
            assert_eq!(throttle.attempt_at(&format!("junk{i}"), at), Ok(()));
        }
        // "target" was the stalest and made room for the last junk name.
        let later = start + Duration::from_secs(1);
        assert_eq!(throttle.attempt_at("target", later), Ok(()));
        assert!(throttle.attempt_at("target", later).is_err());
        assert!(throttle.attempts.lock().unwrap().len() <= THROTTLED_NAMES);
    }
}
