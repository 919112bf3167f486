use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use inbox_core::ErrorBody;

/// An engine error (or a request the API could not read) as an HTTP answer:
/// `{code, message, key, params}`. axum's words for an unreadable request are untranslated text.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl From<inbox_core::Error> for ApiError {
    fn from(e: inbox_core::Error) -> Self {
        let status = match e.code() {
            "not_found" => StatusCode::NOT_FOUND,
            "invalid_input" => StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported" => StatusCode::CONFLICT,
            "provider_error" => StatusCode::BAD_GATEWAY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::error!(error = %e, "request failed");
        }
        ApiError { status, body: e.body() }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, body: ErrorBody::new("invalid_input", r.body_text().into()) }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, body: ErrorBody::new("invalid_input", r.body_text().into()) }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}
