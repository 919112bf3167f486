//! Small generated SVGs served under `/media`, so inbound avatars and images
//! resolve without the internet.
//!
//! `GET /media/avatar/{n}.svg` — a profile picture silhouette.
//! `GET /media/image/{n}.svg`  — a "photo" of a parcel, as a customer would send.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::SimState;

const PALETTE: &[(&str, &str)] = &[
    ("#1e88e5", "#bbdefb"),
    ("#43a047", "#c8e6c9"),
    ("#e53935", "#ffcdd2"),
    ("#8e24aa", "#e1bee7"),
    ("#fb8c00", "#ffe0b2"),
    ("#00897b", "#b2dfdb"),
    ("#3949ab", "#c5cae9"),
    ("#6d4c41", "#d7ccc8"),
];

pub(crate) fn routes() -> Router<SimState> {
    Router::new().route("/media/avatar/{file}", get(avatar)).route("/media/image/{file}", get(image))
}

/// Path of the avatar `n` under the simulator's base URL.
pub(crate) fn avatar_path(n: u32) -> String {
    format!("/media/avatar/{n}.svg")
}

/// Path of the image `n` under the simulator's base URL.
pub(crate) fn image_path(n: u32) -> String {
    format!("/media/image/{n}.svg")
}

async fn avatar(Path(file): Path<String>) -> Response {
    match variant(&file) {
        Some(n) => svg(avatar_svg(n)),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn image(Path(file): Path<String>) -> Response {
    match variant(&file) {
        Some(n) => svg(image_svg(n)),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `"3.svg"` → `Some(3)`; any number is accepted and wraps around the palette.
fn variant(file: &str) -> Option<u32> {
    file.strip_suffix(".svg")?.parse().ok()
}

fn colors(n: u32) -> (&'static str, &'static str) {
    let index = usize::try_from(n).unwrap_or_default() % PALETTE.len();
    PALETTE[index]
}

fn svg(body: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

fn avatar_svg(n: u32) -> String {
    let (dark, light) = colors(n);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="48" fill="{light}"/><circle cx="48" cy="38" r="17" fill="{dark}"/><path d="M16 84c4-18 17-26 32-26s28 8 32 26a48 48 0 0 1-64 0z" fill="{dark}"/></svg>"#
    )
}

fn image_svg(n: u32) -> String {
    let (dark, light) = colors(n);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320" viewBox="0 0 480 320"><rect width="480" height="320" fill="{light}"/><path d="M150 120l90-40 90 40v110l-90 40-90-40z" fill="#d7a86e" stroke="#8d6e63" stroke-width="4"/><path d="M150 120l90 40 90-40M240 160v110" fill="none" stroke="#8d6e63" stroke-width="4"/><path d="M195 100l90 40v30" fill="none" stroke="{dark}" stroke-width="10"/><text x="240" y="304" font-family="sans-serif" font-size="18" text-anchor="middle" fill="{dark}">Foto {n}</text></svg>"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::MEDIA_VARIANTS;

    #[test]
    fn variant_parses_only_svg_numbers() {
        assert_eq!(variant("3.svg"), Some(3));
        assert_eq!(variant("3.png"), None);
        assert_eq!(variant("x.svg"), None);
    }

    #[test]
    fn generated_svgs_are_svg_documents() {
        for n in 0..MEDIA_VARIANTS {
            assert!(avatar_svg(n).starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(image_svg(n).ends_with("</svg>"));
        }
        assert_ne!(avatar_svg(0), avatar_svg(1), "variants differ");
    }
}
