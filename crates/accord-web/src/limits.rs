//! Limits that keep the server answering when it is pushed: a maximum
//! request body, a time limit per request, and a maximum number of requests
//! in progress. Beyond them a request is refused at once with a clear
//! answer (413, or 503 with `Retry-After`) instead of queueing until the
//! server falls over.

use crate::error::{ApiError, Error, PageError};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::Duration;
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
