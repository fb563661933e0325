//! Pages in a real browser: headless Chromium (Debian's, installed by `scripts/test-all.sh`;
//! `CUSTODIAN_CHROMIUM` names another binary) renders the statement in every locale, and the
//! screenshots are kept under `target/screenshots/` for people to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::spawn_app;

fn chromium() -> PathBuf {
    let path = std::env::var_os("CUSTODIAN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "Chromium is needed for the browser tests: run scripts/test-all.sh (it installs Debian's chromium), or set CUSTODIAN_CHROMIUM"
    );
    path
}

/// Renders `url` headless into a PNG at `out` and returns its bytes.
fn screenshot(url: &str, out: &Path, profile: &Path) -> Vec<u8> {
    let status = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1200,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", out.display()))
        .arg(url)
        .output()
        .expect("Chromium starts");
    assert!(
        status.status.success(),
        "Chromium failed on {url}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(out).expect("Chromium wrote the screenshot")
}

#[tokio::test]
async fn the_statement_renders_in_chromium_in_every_locale() {
    let app = spawn_app().await;
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot directory");
    let profiles = tempfile::tempdir().expect("profile directory");
    let mut sizes = Vec::new();
    for lang in ["en", "nl", "zh-CN", "id"] {
        let url = app.url(&format!("/privacy?lang={lang}"));
        let out = shots.join(format!("privacy-{lang}.png"));
        let profile = profiles.path().join(lang);
        let png = tokio::task::spawn_blocking(move || screenshot(&url, &out, &profile))
            .await
            .expect("screenshot thread");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{lang}: a PNG");
        // A blank or error page compresses to a few kilobytes; a rendered statement does not.
        assert!(png.len() > 60_000, "{lang}: only {} bytes", png.len());
        sizes.push(png.len());
    }
    // Four languages, four different pictures.
    sizes.sort_unstable();
    sizes.dedup();
    assert_eq!(sizes.len(), 4, "the four locales render differently");
}
