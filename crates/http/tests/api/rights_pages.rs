//! The pages of data subject requests in a browser's place: every page renders in the four
//! languages with every word in place; a person files a request at the privacy center,
//! confirms it with the code from a real mail sink (a wrong code is counted) and follows it to
//! the customer it was passed on to; a customer finds an end user by phone number and erases
//! them; staff enter a postal request with its scanned letter and confirm the identity. Posts
//! from other sites are refused throughout.

use std::collections::BTreeMap;

use custodian_core::TenantId;
use custodian_engine::Actor;
use custodian_engine::accounts::SignUp;
use custodian_engine::records::IngestRecord;
use custodian_testkit::smtp::{MAIL_WAIT, SmtpSink};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app, staff};
use crate::notices::{dispatch, read};

const PASSWORD: &str = "correct horse battery staple";

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A customer's account holder with a session, and their tenant.
async fn customer(app: &TestApp, email: &str, company: &str) -> (Session, TenantId) {
    let settings = app.engine.account_settings().clone();
    let account = app
        .engine
        .sign_up(SignUp {
            email: email.into(),
            password: PASSWORD.into(),
            company: company.into(),
            region: Some("NL".into()),
            locale: "en".into(),
            terms_version: settings.terms_version,
            dpa_version: settings.dpa_version,
            adult: true,
        })
        .await
        .unwrap();
    let response = app
        .client
        .post(app.url("/v1/account/session"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body: Value = response.json().await.unwrap();
    let session = Session {
        cookie,
        csrf: body["csrf"].as_str().unwrap().to_string(),
    };
    (session, account.tenant.expect("a customer has a tenant"))
}

/// An SMS to `phone` (kept under a legal duty for a while).
fn sms(phone: &str, text: &str) -> Value {
    json!({
        "product": "sms",
        "purpose": "transmission",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "country": "NL",
        "data": {
            "phone-number": phone,
            "communication-content": text,
            "traffic-data": { "direction": "outbound", "operator": "KPN", "parts": 1 }
        }
    })
}

/// An address-book contact (no legal duty keeps it).
fn contact(phone: &str, name: &str) -> Value {
    json!({
        "product": "contacts",
        "purpose": "provide-services",
        "legal_basis": "contract",
        "identifiers": { "phone": phone },
        "data": { "name": name, "phone-number": phone }
    })
}

/// Records stored in `tenant`, as its API would store them.
async fn store(app: &TestApp, tenant: TenantId, records: Vec<Value>) {
    let records: Vec<IngestRecord> = records
        .into_iter()
        .map(|r| serde_json::from_value(r).unwrap())
        .collect();
    let principal = custodian_engine::Principal {
        tenant,
        by: Actor::Cli,
        scopes: vec![custodian_engine::Scope::RecordsWrite],
        reason: None,
    };
    app.engine
        .ingest(&principal, records, None, b"")
        .await
        .unwrap();
}

async fn get(app: &TestApp, s: Option<&Session>, path: &str) -> reqwest::Response {
    let mut request = client().get(app.url(path));
    if let Some(s) = s {
        request = request.header("cookie", &s.cookie);
    }
    request.send().await.unwrap()
}

/// Posts a form as a browser on this site would (in a session, with its CSRF token).
async fn post(
    app: &TestApp,
    s: Option<&Session>,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    post_from(app, (s, true), path, SAME_SITE, form).await
}

/// What a browser says of a form from this site, and from another.
const SAME_SITE: (&str, &str) = ("sec-fetch-site", "same-origin");
const CROSS_SITE: (&str, &str) = ("sec-fetch-site", "cross-site");

/// A page fetched (in a session, or none), after the checks every page shares.
async fn fetch_page(app: &TestApp, s: Option<&Session>, path: &str, status: u16) -> String {
    html(get(app, s, path).await, status).await
}

/// The page a form posted as a browser on this site would answers with.
async fn posted(
    app: &TestApp,
    s: Option<&Session>,
    path: &str,
    form: &[(&str, &str)],
    status: u16,
) -> String {
    html(post(app, s, path, form).await, status).await
}

/// A page fetched (200) and checked in `lang` with its heading, as [`words_in_place`].
async fn in_lang(
    app: &TestApp,
    s: Option<&Session>,
    path: &str,
    (lang, heading, what): (&str, &str, &str),
) -> String {
    let page = fetch_page(app, s, path, 200).await;
    words_in_place(&page, lang, heading, what);
    page
}

/// Posts a form with `header` telling where it came from, in the session if there is one
/// (with its token, when `csrf`).
async fn post_from(
    app: &TestApp,
    (s, csrf): (Option<&Session>, bool),
    path: &str,
    (name, value): (&str, &str),
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields: Vec<(&str, &str)> = Vec::new();
    let mut request = client().post(app.url(path)).header(name, value);
    if let Some(s) = s {
        if csrf {
            fields.push(("csrf", s.csrf.as_str()));
        }
        request = request.header("cookie", &s.cookie);
    }
    fields.extend_from_slice(form);
    request.form(&fields).send().await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The page's HTML after the checks every page shares: its status, never cached, HTML, no
/// inline script or style (the policy allows none).
async fn html(response: reqwest::Response, status: u16) -> String {
    let url = response.url().clone();
    assert_eq!(response.status().as_u16(), status, "{url}");
    assert_eq!(response.headers()["cache-control"], "no-store", "{url}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{url}"
    );
    let page = response.text().await.unwrap();
    assert!(
        !page.contains("<script") && !page.contains(" style="),
        "{url}: {page}"
    );
    page
}

/// The UI's words of a catalogue, by key (only what these pages add and use).
fn catalogue(source: &str) -> BTreeMap<String, String> {
    source
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .filter(|(k, _)| k.starts_with("ui-"))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
}

fn words(lang: &str) -> BTreeMap<String, String> {
    catalogue(match lang {
        "nl" => include_str!("../../locales/nl.ftl"),
        "zh-CN" => include_str!("../../locales/zh-CN.ftl"),
        "id" => include_str!("../../locales/id.ftl"),
        _ => include_str!("../../locales/en.ftl"),
    })
}

/// Elements that should hold words but are empty: a word missing from the catalogue.
fn empty_elements(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in [
        "h1",
        "h2",
        "h3",
        "label",
        "legend",
        "th",
        "dt",
        "button",
        "a",
        "option",
        "strong",
        "title",
        "p",
        "figcaption",
    ] {
        let close = format!("</{tag}>");
        let mut from = 0;
        while let Some(at) = page[from..].find(&close) {
            let end = from + at;
            let before = &page[..end];
            if let Some(gt) = before.rfind('>') {
                let between = &before[gt + 1..];
                let lt = before[..gt].rfind('<').unwrap_or(0);
                let open = &before[lt..=gt];
                if between.trim().is_empty()
                    && (open.starts_with(&format!("<{tag} ")) || open == format!("<{tag}>"))
                {
                    out.push(format!("{open}{close}"));
                }
            }
            from = end + close.len();
        }
    }
    out
}

/// Checks a page in `lang`: its language, its heading, every word there, and none left in
/// English where the language has its own.
fn words_in_place(page: &str, lang: &str, heading: &str, what: &str) {
    assert!(
        page.contains(&format!("<html lang=\"{lang}\">")),
        "{what} ({lang}) is not in {lang}"
    );
    assert!(
        page.contains(heading),
        "{what} ({lang}): no {heading:?} in\n{page}"
    );
    let empty = empty_elements(page);
    assert!(
        empty.is_empty(),
        "{what} ({lang}) has elements without words: {empty:?}"
    );
    assert!(
        !page.contains("ui_") && !page.contains("ui-rq") && !page.contains("ui-pc"),
        "{what} ({lang}) shows a key instead of words"
    );
    if lang != "en" {
        let en = words("en");
        let own = words(lang);
        for (key, english) in &en {
            let Some(translated) = own.get(key) else {
                panic!("{lang} lacks {key}");
            };
            if translated != english && english.chars().count() >= 14 {
                assert!(
                    !page.contains(english.as_str()),
                    "{what} ({lang}) shows English words ({key}): {english}"
                );
            }
        }
    }
}

/// A six-digit code in a mail's body.
fn code_in(body: &str) -> String {
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in:\n{body}"))
        .to_string()
}

/// The last of the `n` code mails that went to `to`.
fn codes_to(
    mails: &[custodian_testkit::smtp::Received],
    to: &str,
    n: usize,
) -> crate::notices::Mail {
    let mine: Vec<_> = mails
        .iter()
        .map(read)
        .filter(|m| m.to == to && m.subject.contains("verificatiecode"))
        .collect();
    assert_eq!(mine.len(), n, "code mails to {to}");
    mine.into_iter().next_back().unwrap()
}

/// The value of the hidden input `name` on a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in:\n{page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// The request id of a location such as `/account/requests/<id>?done=filed`.
fn id_in(location: &str, prefix: &str) -> String {
    location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} is not under {prefix}"))
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_string()
}

/// A multipart body (fields and one file), as a browser sends the entry form.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----custodian-pages-boundary-7d3f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"letter\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(
    app: &TestApp,
    s: &Session,
    path: &str,
    (content_type, body): (String, Vec<u8>),
) -> reqwest::Response {
    client()
        .post(app.url(path))
        .header("cookie", &s.cookie)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn days_ago(n: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * n))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

#[tokio::test]
async fn every_request_page_renders_in_every_language_with_every_word() {
    let app = spawn_app().await;
    let (customer, tenant) = customer(&app, "owner@shop.example", "Shop B.V.").await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    store(&app, tenant, vec![sms("+31612345678", "Your code is 4921")]).await;

    // A request of the customer's (access: fulfilled at once, with an export), one to the
    // platform waiting for its code, and one entered by staff waiting for verification.
    let filed = post(
        &app,
        Some(&customer),
        "/account/requests",
        &[
            ("right", "access"),
            ("regime", "gdpr"),
            ("kind", "phone"),
            ("value", "+31 6 12345678"),
            ("locale", "nl"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let mine = id_in(&location(&filed), "/account/requests/");
    let submitted = post(
        &app,
        None,
        "/privacy-center",
        &[
            ("email", "visitor@example.org"),
            ("right", "erasure"),
            ("regime", "gdpr"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let verify = location(&submitted);
    let public = id_in(&verify, "/privacy-center/requests/");
    let token = app.engine.request_token(public.parse().unwrap());
    let entered = post_multipart(
        &app,
        &officer,
        "/console/requests/new",
        multipart(
            &[
                ("csrf", officer.csrf.as_str()),
                ("lang", "en"),
                ("channel", "post"),
                ("received_at", &days_ago(40)),
                ("right", "access"),
                ("regime", "gdpr"),
                ("email", "writer@example.net"),
                ("name", "Ana Writer"),
            ],
            Some(("scan.png", "image/png", b"\x89PNG\r\n\x1a\nnot really")),
        ),
    )
    .await;
    assert_eq!(entered.status(), StatusCode::SEE_OTHER);
    let postal = id_in(&location(&entered), "/console/requests/");

    let headings: [(&str, [&str; 6]); 4] = [
        (
            "en",
            [
                "<h1>Data subject requests</h1>",
                "<h1>End users&#x27; data</h1>",
                "<h1>Make a request about your personal data</h1>",
                "<h1>Enter the code from your e-mail</h1>",
                "<h1>Enter a request received by mail or post</h1>",
                "Request · Access",
            ],
        ),
        (
            "nl",
            [
                "<h1>Verzoeken van betrokkenen</h1>",
                "<h1>Gegevens van eindgebruikers</h1>",
                "<h1>Een verzoek over uw persoonsgegevens indienen</h1>",
                "<h1>Vul de code uit uw e-mail in</h1>",
                "<h1>Verzoek per e-mail of post invoeren</h1>",
                "Verzoek · Inzage",
            ],
        ),
        (
            "zh-CN",
            [
                "<h1>数据主体请求</h1>",
                "<h1>终端用户数据</h1>",
                "<h1>就您的个人数据提出请求</h1>",
                "<h1>输入电子邮件中的验证码</h1>",
                "<h1>录入通过邮件或信件收到的请求</h1>",
                "请求 · 查阅",
            ],
        ),
        (
            "id",
            [
                "<h1>Permintaan subjek data</h1>",
                "<h1>Data pengguna akhir</h1>",
                "<h1>Ajukan permintaan tentang data pribadi Anda</h1>",
                "<h1>Masukkan kode dari e-mail Anda</h1>",
                "<h1>Catat permintaan yang diterima lewat e-mail atau pos</h1>",
                "Permintaan · Akses",
            ],
        ),
    ];
    for (lang, [list, data, center, code, new, detail]) in headings {
        let page = in_lang(
            &app,
            Some(&customer),
            &format!("/account/requests?lang={lang}"),
            (lang, list, "the customer's requests"),
        )
        .await;
        assert!(page.contains("id=\"due-chart\"") || page.contains("id=\"chart-empty\""));
        assert!(
            page.contains("aria-current=\"page\">"),
            "the nav marks the page"
        );

        let page = in_lang(
            &app,
            Some(&customer),
            &format!("/account/requests/{mine}?lang={lang}"),
            (lang, detail, "a customer's request"),
        )
        .await;
        assert!(
            page.contains(&format!("href=\"/account/requests/{mine}/export\"")),
            "{lang}: the export link"
        );
        assert!(
            page.contains("id=\"confirmation-body\""),
            "{lang}: the letter"
        );

        in_lang(
            &app,
            Some(&customer),
            &format!("/account/data?lang={lang}"),
            (lang, data, "the end users' data"),
        )
        .await;

        let found = posted(
            &app,
            Some(&customer),
            "/account/data",
            &[
                ("op", "find"),
                ("kind", "phone"),
                ("value", "+31612345678"),
                ("lang", lang),
            ],
            200,
        )
        .await;
        words_in_place(&found, lang, data, "an end user's records");
        assert!(found.contains("id=\"file-erasure\""));

        let page = in_lang(
            &app,
            None,
            &format!("/privacy-center?lang={lang}"),
            (lang, center, "the privacy center"),
        )
        .await;
        for needle in [
            "for=\"pc-email\"",
            "value=\"access\"",
            "value=\"ccpa\"",
            "value=\"pdpa\"",
            "for=\"pc-phone\"",
            "href=\"/account/requests?lang=",
        ] {
            assert!(page.contains(needle), "{lang}: no {needle}");
        }

        let page = in_lang(
            &app,
            None,
            &format!("{verify}&lang={lang}"),
            (lang, code, "the code form"),
        )
        .await;
        assert!(page.contains("autocomplete=\"one-time-code\""));

        let page = fetch_page(
            &app,
            None,
            &format!("/privacy-center/requests/{public}?token={token}&lang={lang}"),
            200,
        )
        .await;
        let status_heading = words(lang)["ui-pc-status-heading"].clone();
        words_in_place(&page, lang, &status_heading, "the status page");
        assert!(page.contains("Autoriteit Persoonsgegevens"), "{lang}");
        assert!(
            page.contains(&format!("href=\"?token={token}&amp;lang=")),
            "{lang}: the language links keep the token"
        );

        let page = in_lang(
            &app,
            Some(&officer),
            &format!("/console/requests?lang={lang}"),
            (lang, list, "the console's requests"),
        )
        .await;
        assert!(
            page.contains("class=\"overdue-row\""),
            "{lang}: the overdue request"
        );

        let page = in_lang(
            &app,
            Some(&officer),
            &format!("/console/requests/new?lang={lang}"),
            (lang, new, "the entry form"),
        )
        .await;
        assert!(page.contains("enctype=\"multipart/form-data\""));

        let page = in_lang(
            &app,
            Some(&officer),
            &format!("/console/requests/{postal}?lang={lang}"),
            (lang, detail, "a postal request"),
        )
        .await;
        assert!(
            page.contains("id=\"confirm-form\""),
            "{lang}: confirm identity"
        );
        assert!(page.contains("id=\"letter-link\""), "{lang}: the letter");
    }
}

#[tokio::test]
async fn a_person_files_at_the_privacy_center_confirms_with_the_mailed_code_and_follows_it() {
    let app = spawn_app().await;
    let sink = SmtpSink::start().await;
    let (owner, tenant) = customer(&app, "owner@texts.example", "Texts B.V.").await;
    store(&app, tenant, vec![sms("+31687654321", "See you at 8")]).await;

    // The form, in Dutch.
    let page = fetch_page(&app, None, "/privacy-center?lang=nl", 200).await;
    assert!(page.contains("action=\"/privacy-center\""));

    // From another site: refused, and nothing is mailed.
    let ann = [
        ("email", "ann@example.org"),
        ("right", "access"),
        ("lang", "nl"),
    ];
    let forged = post_from(&app, (None, false), "/privacy-center", CROSS_SITE, &ann).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let forged = post_from(
        &app,
        (None, false),
        "/privacy-center",
        ("origin", "https://evil.example"),
        &ann,
    )
    .await;
    let refused = html(forged, 403).await;
    assert!(
        refused.contains(&format!("<h1>{}</h1>", words("nl")["ui-refused-heading"])),
        "{refused}"
    );

    // A bad phone number is named at its field, the entries kept.
    let bad = posted(
        &app,
        None,
        "/privacy-center",
        &[
            ("email", "ann@example.org"),
            ("right", "access"),
            ("regime", "gdpr"),
            ("phone", "not a number"),
            ("lang", "nl"),
        ],
        422,
    )
    .await;
    assert!(
        bad.contains("id=\"phone-error\">Dat is geen telefoonnummer."),
        "{bad}"
    );
    assert!(bad.contains("value=\"ann@example.org\""));

    // The same answer whether or not anything is held about the address.
    let unknown = post(
        &app,
        None,
        "/privacy-center",
        &[
            ("email", "nobody@example.org"),
            ("right", "access"),
            ("regime", "gdpr"),
            ("lang", "nl"),
        ],
    )
    .await;
    let known = post(
        &app,
        None,
        "/privacy-center",
        &[
            ("email", "ann@example.org"),
            ("right", "access"),
            ("regime", "gdpr"),
            ("phone", "+31 6 87654321"),
            ("message", "Alles wat u over mij hebt, graag."),
            ("lang", "nl"),
        ],
    )
    .await;
    for r in [&unknown, &known] {
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = location(r);
        assert!(
            to.starts_with("/privacy-center/requests/")
                && to.contains("/verify?code=")
                && to.ends_with("&lang=nl"),
            "{to}"
        );
    }
    let verify = location(&known);
    let id = id_in(&verify, "/privacy-center/requests/");

    // The code arrives by mail.
    // (The customer's sign-up confirmation goes out too.)
    dispatch(&app, &sink).await;
    let mails = sink.wait_for(3, MAIL_WAIT).await;
    let first_code = code_in(&codes_to(&mails, "ann@example.org", 1).body);

    // The code form; a new code replaces the first.
    let page = fetch_page(&app, None, &verify, 200).await;
    let code_id = hidden(&page, "code_id");
    let resent = post(
        &app,
        None,
        &format!("/privacy-center/requests/{id}/resend"),
        &[("code_id", &code_id), ("lang", "nl")],
    )
    .await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    let verify = location(&resent);
    assert!(verify.contains("&sent=1"), "{verify}");
    let page = fetch_page(&app, None, &verify, 200).await;
    assert!(page.contains("Er is een nieuwe code onderweg."));
    let code_id = hidden(&page, "code_id");
    dispatch(&app, &sink).await;
    let mails = sink.wait_for(4, MAIL_WAIT).await;
    let code = code_in(&codes_to(&mails, "ann@example.org", 2).body);

    // Wrong codes: said at the field, the entry kept, and the tries counted down.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in [4, 3] {
        let page = posted(
            &app,
            None,
            &format!("/privacy-center/requests/{id}/verify"),
            &[("code_id", &code_id), ("code", wrong), ("lang", "nl")],
            422,
        )
        .await;
        assert!(
            page.contains(&format!(
                "id=\"code-error\" role=\"alert\">Die code klopt niet. U hebt nog {left} pogingen.</p>"
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!("value=\"{wrong}\"")),
            "the entry is kept"
        );
        assert!(page.contains("aria-invalid=\"true\""));
    }
    // The replaced code is not this request's current one… unless it is the same digits.
    if first_code != code {
        let page = posted(
            &app,
            None,
            &format!("/privacy-center/requests/{id}/verify"),
            &[("code_id", &code_id), ("code", &first_code), ("lang", "nl")],
            422,
        )
        .await;
        assert!(page.contains("U hebt nog 2 pogingen."), "{page}");
    }
    // Cross-site: refused.
    let forged = post_from(
        &app,
        (None, false),
        &format!("/privacy-center/requests/{id}/verify"),
        CROSS_SITE,
        &[("code_id", &code_id), ("code", &code), ("lang", "nl")],
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    // The right code: to the status page, with its token.
    let confirmed = post(
        &app,
        None,
        &format!("/privacy-center/requests/{id}/verify"),
        &[("code_id", &code_id), ("code", &code), ("lang", "nl")],
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let status = location(&confirmed);
    let token = app.engine.request_token(id.parse().unwrap());
    assert_eq!(
        status,
        format!("/privacy-center/requests/{id}?token={token}&lang=nl")
    );
    let page = fetch_page(&app, None, &status, 200).await;
    assert!(page.contains("<table id=\"passed-on\">"), "{page}");
    assert!(page.contains("<th scope=\"row\">Texts B.V.</th>"), "{page}");
    assert!(
        page.contains(&words("nl")["ui-pc-summary-routed"]),
        "{page}"
    );
    assert!(page.contains("Autoriteit Persoonsgegevens"));
    assert!(
        !page.contains("owner@texts.example"),
        "the customer's people are not named"
    );
    // The customer received it, waiting to be taken up.
    let routed = app
        .engine
        .child_requests(id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(routed.len(), 1);
    assert_eq!(routed[0].state, "received");
    assert_eq!(routed[0].tenant, Some(tenant));

    // A wrong token shows nothing of the request.
    let page = fetch_page(
        &app,
        None,
        &format!("/privacy-center/requests/{id}?token=0123&lang=nl"),
        404,
    )
    .await;
    assert!(!page.contains("Texts B.V."));
    // The code form of a confirmed request: a new code cannot be had.
    let again = posted(
        &app,
        None,
        &format!("/privacy-center/requests/{id}/resend"),
        &[("code_id", &code_id), ("lang", "nl")],
        404,
    )
    .await;
    assert!(again.contains("<h1>Geen code nodig</h1>"), "{again}");

    // The customer finds it in the dashboard, passed on by the platform, and takes it up.
    let child = routed[0].id;
    let page = fetch_page(
        &app,
        Some(&owner),
        &format!("/account/requests/{child}?lang=en"),
        200,
    )
    .await;
    assert!(page.contains("id=\"routed-info\""), "{page}");
    assert!(page.contains("id=\"accept-form\""), "{page}");
    let taken = post(
        &app,
        Some(&owner),
        &format!("/account/requests/{child}"),
        &[("op", "accept"), ("lang", "en")],
    )
    .await;
    assert_eq!(taken.status(), StatusCode::SEE_OTHER);
    let page = fetch_page(&app, Some(&owner), &location(&taken), 200).await;
    assert!(page.contains("The request is taken up."), "{page}");
    assert!(
        page.contains("id=\"request-state\">Fulfilled</span>"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/account/requests/{child}/export\"")));
    // The person sees it done there.
    let page = fetch_page(&app, None, &status, 200).await;
    assert!(
        page.contains("<th scope=\"row\">Texts B.V.</th><td>Uitgevoerd</td>"),
        "{page}"
    );
}

#[tokio::test]
async fn one_client_address_may_post_the_privacy_centers_forms_twenty_times_an_hour() {
    let app = spawn_app().await;
    // Every form counts, the refused ones at their fields too.
    let form = [
        ("email", "ann@example.org"),
        ("right", "access"),
        ("regime", "gdpr"),
        ("phone", "not a number"),
        ("lang", "nl"),
    ];
    for _ in 0..20 {
        posted(&app, None, "/privacy-center", &form, 422).await;
    }
    let limited = post(&app, None, "/privacy-center", &form).await;
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    let page = html(limited, 429).await;
    assert!(page.contains(&words("nl")["ui-pc-too-many"]), "{page}");
    assert!(
        page.contains("value=\"ann@example.org\""),
        "the entries are kept"
    );
    // The code forms share the budget.
    let id = uuid::Uuid::now_v7();
    let code = uuid::Uuid::now_v7().to_string();
    for path in ["verify", "resend"] {
        let page = posted(
            &app,
            None,
            &format!("/privacy-center/requests/{id}/{path}"),
            &[("code_id", &code), ("code", "123456"), ("lang", "en")],
            429,
        )
        .await;
        assert!(page.contains(&words("en")["ui-pc-too-many"]), "{page}");
        assert!(page.contains(&format!("value=\"{code}\"")), "{page}");
    }
    // Other sites' posts are refused before they count, and reading is not limited.
    let forged = post_from(&app, (None, false), "/privacy-center", CROSS_SITE, &form).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    fetch_page(&app, None, "/privacy-center?lang=nl", 200).await;
}

#[tokio::test]
async fn a_customer_finds_an_end_user_by_phone_downloads_their_data_and_erases_it() {
    let app = spawn_app().await;
    let (customer, tenant) = customer(&app, "owner@shop.example", "Shop B.V.").await;
    store(
        &app,
        tenant,
        vec![
            sms("+31612345678", "Your order has shipped"),
            sms("+31612345678", "Your parcel arrives today"),
            contact("+31612345678", "Ana Customer-Contact"),
        ],
    )
    .await;

    // Found by the number as people write it.
    let page = posted(
        &app,
        Some(&customer),
        "/account/data",
        &[
            ("op", "find"),
            ("kind", "phone"),
            ("value", "06 1234 5678"),
            ("lang", "en"),
        ],
        200,
    )
    .await;
    assert!(page.contains("Your parcel arrives today"), "{page}");
    assert!(page.contains("Ana Customer-Contact"));
    assert!(page.contains("<dd id=\"found-count\">3</dd>"));
    let subject = hidden(&page, "subject");

    // Someone unknown: said at the field.
    let none = posted(
        &app,
        Some(&customer),
        "/account/data",
        &[
            ("op", "find"),
            ("kind", "email"),
            ("value", "nobody@example.org"),
            ("lang", "en"),
        ],
        404,
    )
    .await;
    assert!(none.contains("id=\"value-error\" role=\"alert\">No person with this identifier"));

    // From another site, or without the session's token: refused.
    let erase = [("op", "file"), ("subject", &subject), ("right", "erasure")];
    let forged = post_from(
        &app,
        (Some(&customer), true),
        "/account/data",
        CROSS_SITE,
        &erase,
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let tokenless = post_from(
        &app,
        (Some(&customer), false),
        "/account/data",
        SAME_SITE,
        &erase,
    )
    .await;
    assert_eq!(tokenless.status(), StatusCode::FORBIDDEN);

    // Access: answered at once, with a download.
    let file = |right: &'static str| {
        let (app, customer, subject) = (&app, &customer, subject.clone());
        async move {
            post(
                app,
                Some(customer),
                "/account/data",
                &[
                    ("op", "file"),
                    ("subject", subject.as_str()),
                    ("kind", "phone"),
                    ("value", "06 1234 5678"),
                    ("right", right),
                    ("lang", "en"),
                ],
            )
            .await
        }
    };
    let filed = file("access").await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let access = id_in(&location(&filed), "/account/requests/");
    let page = fetch_page(&app, Some(&customer), &location(&filed), 200).await;
    assert!(page.contains("The request is filed."));
    assert!(
        page.contains("id=\"request-state\">Fulfilled</span>"),
        "{page}"
    );
    let zip = get(
        &app,
        Some(&customer),
        &format!("/account/requests/{access}/export"),
    )
    .await;
    assert_eq!(zip.status(), StatusCode::OK);
    assert_eq!(zip.headers()["content-type"], "application/zip");
    assert!(zip.bytes().await.unwrap().starts_with(b"PK"));

    // Erasure: done, and the check after it passed.
    let filed = file("erasure").await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let page = fetch_page(&app, Some(&customer), &location(&filed), 200).await;
    assert!(
        page.contains("id=\"request-state\">Fulfilled</span>")
            || page.contains("id=\"request-state\">Partly fulfilled</span>"),
        "{page}"
    );
    assert!(
        page.contains("id=\"erasure-check\" data-passed=\"true\""),
        "{page}"
    );
    assert!(page.contains("<dd id=\"readable-left\">0</dd>"));
    // The messages are kept under a legal duty, with the date they go.
    assert!(
        page.contains("id=\"request-state\">Partly fulfilled</span>"),
        "{page}"
    );
    assert!(page.contains("<table id=\"answer-retained\""), "{page}");
    assert!(page.contains("<code>sms-voice</code>"));
    assert!(page.contains("id=\"confirmation-body\""), "the kept letter");

    // The messages cannot be read any more: the person is gone, or found with nothing
    // readable, as far as a legal duty keeps records.
    let lookup = post(
        &app,
        Some(&customer),
        "/account/data",
        &[
            ("op", "find"),
            ("kind", "phone"),
            ("value", "+31612345678"),
            ("lang", "en"),
        ],
    )
    .await;
    let status = lookup.status().as_u16();
    assert!(status == 200 || status == 404, "{status}");
    let page = html(lookup, status).await;
    assert!(!page.contains("Ana Customer-Contact"), "{page}");

    // The list: both closed, none open.
    let page = fetch_page(&app, Some(&customer), "/account/requests?lang=en", 200).await;
    assert!(page.contains("id=\"chart-empty\""));
    assert!(page.contains("<table id=\"recent-requests\""));

    // Staff are sent to the console.
    let officer = staff(&app, "officer", "compliance-officer").await;
    let page = fetch_page(&app, Some(&officer), "/account/requests", 403).await;
    assert!(page.contains("Staff handle requests in the staff console."));
    assert!(page.contains("href=\"/console/requests?lang=en\""));
    // And nobody signed in, to the sign-in page.
    let anonymous = get(&app, None, "/account/requests").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), "/account/sign-in");
}

#[tokio::test]
async fn staff_enter_a_postal_request_with_its_letter_and_confirm_the_identity() {
    let app = spawn_app().await;
    let officer = staff(&app, "officer", "compliance-officer").await;
    let (customer, _) = customer(&app, "owner@shop.example", "Shop B.V.").await;
    let letter: &[u8] =
        b"%PDF-1.4\n% a scanned letter\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

    // The form is for staff only.
    let page = fetch_page(&app, Some(&customer), "/console/requests/new", 403).await;
    assert!(page.contains("The staff console is only for staff accounts."));

    // Without the session's token: refused.
    let refused = post_multipart(
        &app,
        &officer,
        "/console/requests/new",
        multipart(
            &[("lang", "en"), ("channel", "post"), ("right", "access")],
            Some(("letter.pdf", "application/pdf", letter)),
        ),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // A file that is not a letter, and no way to reach the requester: both named.
    let page = html(
        post_multipart(
            &app,
            &officer,
            "/console/requests/new",
            multipart(
                &[
                    ("csrf", officer.csrf.as_str()),
                    ("lang", "en"),
                    ("channel", "post"),
                    ("right", "access"),
                    ("name", "Bert Brief"),
                ],
                Some(("run.exe", "application/x-msdownload", b"MZ")),
            ),
        )
        .await,
        422,
    )
    .await;
    assert!(
        page.contains("id=\"letter-error\">Upload the letter as a PDF"),
        "{page}"
    );
    assert!(
        page.contains("id=\"email-error\">Give the requester"),
        "{page}"
    );
    assert!(
        page.contains("value=\"Bert Brief\""),
        "the entries are kept"
    );

    // A scan over 5 MB: said at the field, the entries kept.
    let big = vec![0u8; custodian_engine::rights::MAX_LETTER + 1];
    let page = html(
        post_multipart(
            &app,
            &officer,
            "/console/requests/new",
            multipart(
                &[
                    ("csrf", officer.csrf.as_str()),
                    ("lang", "nl"),
                    ("channel", "post"),
                    ("right", "access"),
                    ("email", "bert@example.net"),
                ],
                Some(("huge.pdf", "application/pdf", &big)),
            ),
        )
        .await,
        422,
    )
    .await;
    assert!(
        page.contains("id=\"letter-error\">De gescande brief is te groot"),
        "{page}"
    );
    assert!(page.contains("value=\"bert@example.net\""));

    // The letter, received three days ago.
    let received = days_ago(3);
    let entered = post_multipart(
        &app,
        &officer,
        "/console/requests/new",
        multipart(
            &[
                ("csrf", officer.csrf.as_str()),
                ("lang", "en"),
                ("channel", "post"),
                ("received_at", &received),
                ("right", "erasure"),
                ("regime", "gdpr"),
                ("locale", "nl"),
                ("name", "Bert Brief"),
                ("email", "bert@example.net"),
                ("address", "Kerkstraat 1\n1011 AA Amsterdam"),
                ("message", "Wis alstublieft al mijn gegevens."),
            ],
            Some(("scan 1.pdf", "application/pdf", letter)),
        ),
    )
    .await;
    assert_eq!(entered.status(), StatusCode::SEE_OTHER);
    let to = location(&entered);
    let id = id_in(&to, "/console/requests/");
    let page = fetch_page(&app, Some(&officer), &to, 200).await;
    assert!(page.contains("The request is filed."));
    assert!(
        page.contains("id=\"request-state\">Verifying identity</span>"),
        "{page}"
    );
    assert!(
        page.contains(&format!("datetime=\"{received}T")),
        "the date of receipt"
    );
    assert!(page.contains("Kerkstraat 1"));
    assert!(page.contains(&format!("href=\"/console/requests/{id}/letter\"")));

    // The letter, as it was uploaded, as a download that is never sniffed.
    let download = get(
        &app,
        Some(&officer),
        &format!("/console/requests/{id}/letter"),
    )
    .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"scan_1.pdf\""
    );
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.unwrap().as_ref(), letter);

    // The list: waiting for verification.
    let page = fetch_page(&app, Some(&officer), "/console/requests?lang=en", 200).await;
    assert!(page.contains(&format!("href=\"/console/requests/{id}?lang=en\"")));
    assert!(
        page.contains("aria-current=\"page\">Requests</a>"),
        "the nav"
    );

    // Confirming needs to say how; then the request is routed and answered.
    let page = posted(
        &app,
        Some(&officer),
        &format!("/console/requests/{id}"),
        &[("op", "confirm"), ("how", " "), ("lang", "en")],
        422,
    )
    .await;
    assert!(
        page.contains("id=\"confirm_how-error\">Say how the identity was verified."),
        "{page}"
    );
    let confirmed = post(
        &app,
        Some(&officer),
        &format!("/console/requests/{id}"),
        &[
            ("op", "confirm"),
            ("how", "signature compared with the contract on file"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&confirmed),
        format!("/console/requests/{id}?done=confirm")
    );
    let page = fetch_page(&app, Some(&officer), &location(&confirmed), 200).await;
    assert!(page.contains("The identity is confirmed and the request is passed on."));
    assert!(
        page.contains("id=\"request-state\">Fulfilled</span>"),
        "{page}"
    );
    assert!(page.contains("signature compared with the contract on file"));
    assert!(
        page.contains("id=\"answer-no-data\""),
        "nothing is held about Bert"
    );
    assert!(
        !page.contains("id=\"confirm-form\""),
        "nothing left to confirm"
    );
    assert!(
        page.contains("lang=\"nl\" id=\"confirmation-body\""),
        "the letter in Dutch"
    );

    // Cross-site: refused.
    let forged = post_from(
        &app,
        (Some(&officer), true),
        &format!("/console/requests/{id}"),
        CROSS_SITE,
        &[("op", "withdraw")],
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}
