//! `accord serve`: the web interface and JSON API of `accord-web` over the
//! ledger, on a multi-threaded runtime of its own (the rest of the CLI runs
//! on one thread). The ledger is read into memory and indexed at start,
//! and again whenever an `accord ingest` changes it while serving. Anyone
//! may read unless `--private` is given; writing always needs a user
//! (`accord user add`) who logs in, or their API token.

use anyhow::Context as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Arguments of `accord serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// Seconds between checks for a changed ledger (after an ingest while
    /// serving); 0 never checks.
    #[arg(long, default_value_t = 2, value_name = "SECONDS")]
    pub refresh: u64,
    /// Only users may read: every page redirects to the login form and
    /// every API call answers 401 until they log in or give an API token.
    #[arg(long)]
    pub private: bool,
    /// Largest request body taken, in KiB; larger ones get 413.
    #[arg(long, default_value_t = 1024, value_name = "KIB")]
    pub max_body: usize,
    /// Longest a request may take, in seconds; then it is stopped with 503.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
    /// Requests answered at once; more are refused at once with 503 and
    /// `Retry-After` instead of piling up.
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub max_in_flight: usize,
}

impl Args {
    /// The defaults, listening on `addr`.
    pub fn on(addr: String) -> Args {
        Args {
            addr,
            refresh: 2,
            private: false,
            max_body: 1024,
            timeout: 30,
            max_in_flight: 512,
        }
    }

    fn limits(&self) -> accord_web::limits::Limits {
        accord_web::limits::Limits {
            max_body: self.max_body.saturating_mul(1024),
            timeout: Duration::from_secs(self.timeout.max(1)),
            max_in_flight: self.max_in_flight.max(1),
        }
    }
}

/// Runs `accord serve` until the process is stopped.
pub async fn run(db: &str, args: &Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("accord-serve")
        .build()
        .context("cannot start the server's runtime")?;
    let db = db.to_string();
    let args = args.clone();
    let server = runtime.spawn(async move { serve(&db, &args).await });
    let result = server.await.context("the server stopped");
    runtime.shutdown_background();
    result??;
    Ok(ExitCode::SUCCESS)
}

/// Opens the ledger and indexes it, with reading open to anyone or (with
/// `--private`) to users only.
async fn open(db: &str, args: &Args) -> anyhow::Result<accord_web::AppState> {
    let store = accord_store::Store::connect(db)
        .await
        .with_context(|| format!("cannot open the ledger {}", crate::redact(db)))?;
    let state = accord_web::AppState::load(store)
        .await
        .context("cannot read and index the ledger")?;
    Ok(state.with_anonymous_read(!args.private))
}

/// Opens the ledger, indexes it, listens, and serves.
async fn serve(db: &str, args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let state = open(db, args).await?;
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let address = listener.local_addr().context("cannot read the address")?;
    let ledger = state.ledger();
    println!(
        "serving {} commitments of {} documents at http://{address}/ (indexed in {:.2} s; API at /api/v1/){}",
        ledger.commitments.len(),
        ledger.documents.len(),
        started.elapsed().as_secs_f64(),
        if args.private {
            "; private: only users can read"
        } else {
            ""
        }
    );
    // Tests and scripts read the address from the first line.
    let _ = std::io::stdout().flush();
    drop(ledger);
    if args.refresh > 0 {
        state.spawn_refresher(Duration::from_secs(args.refresh));
    }
    accord_web::serve(listener, state, args.limits(), std::future::pending())
        .await
        .context("the server failed")
}

#[cfg(test)]
mod tests {
    //! `accord serve` over the bundled corpus ingested through the real
    //! pipeline: handler tests without sockets, then the real server on a
    //! loopback port driven by a real headless browser (Debian `chromium`
    //! and `chromium-driver`), saving a screenshot of each main page into
    //! `target/screenshots/`.

    use accord_web::{get_for_tests, AppState};
    use serde_json::Value;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    /// A statement whose text, title and source address are hostile.
    const HOSTILE_STATEMENT: &str = "---\ntitle: \"<script>document.title='pwned'</script>Hostile statement\"\nsummit: NALS 2023\nissuer: MX\nurl: \"javascript:document.title='pwned'\"\n---\n# Security <img src=x onerror=\"document.title='pwned'\">\n\nWe will review <script>document.title='pwned'</script> hostile markup together by 2030.\n";

    /// The bundled corpus (and one hostile statement) ingested through the
    /// real pipeline into a temporary ledger.
    async fn bundled_ledger() -> (tempfile::TempDir, accord_store::Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let hostile = dir.path().join("hostile.md");
        std::fs::write(&hostile, HOSTILE_STATEMENT).expect("write hostile statement");
        let store = accord_store::Store::open(&dir.path().join("ledger.db"))
            .await
            .expect("store opens");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/nals");
        let mut args = crate::ingest::Args::for_paths(vec![corpus, hostile]);
        args.quiet = true;
        crate::ingest::run(&store, &args)
            .await
            .expect("ingest runs");
        (dir, store)
    }

    async fn get_json(state: &AppState, uri: &str) -> Value {
        let answer = get_for_tests(state, uri).await;
        assert_eq!(answer.status, 200, "{uri}: {}", answer.body);
        serde_json::from_str(&answer.body).expect("JSON")
    }

    /// The 2023 methane commitments found by search, with their
    /// predecessors' summits.
    async fn methane_2023(state: &AppState) -> Vec<(String, Vec<String>)> {
        let found = get_json(state, "/api/v1/search?q=methane&summit=NALS%202023").await;
        let mut out = Vec::new();
        for hit in found["hits"].as_array().expect("hits") {
            let id = hit["commitment"]["id"].as_str().expect("id").to_string();
            let detail = get_json(state, &format!("/api/v1/commitments/{id}")).await;
            let earlier = detail["earlier"]
                .as_array()
                .expect("earlier")
                .iter()
                .map(|l| l["commitment"]["summit"].as_str().unwrap_or("").to_string())
                .collect();
            out.push((id, earlier));
        }
        out
    }

    #[tokio::test]
    async fn methane_leads_to_its_2021_predecessor_and_to_the_versions() {
        let (_dir, store) = bundled_ledger().await;
        let state = AppState::load(store).await.expect("state loads");
        let hits = methane_2023(&state).await;
        assert!(hits.len() >= 2, "{hits:?}");
        for (id, earlier) in &hits {
            assert!(
                earlier.iter().any(|s| s == "NALS 2021"),
                "{id} has no 2021 predecessor: {earlier:?}"
            );
        }
        let (id, _) = &hits[0];
        let compare = get_json(&state, "/api/v1/compare?summit=NALS%202023").await;
        assert_eq!(compare["documents"].as_array().expect("documents").len(), 3);
        let in_a_row = compare["rows"].as_array().expect("rows").iter().any(|row| {
            row["cells"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|cell| cell["commitment"]["id"] == id.as_str())
        });
        assert!(in_a_row, "{id} is aligned with another version");
    }

    #[tokio::test]
    async fn private_serving_lets_only_users_read() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            args: super::Args,
        }
        use clap::Parser as _;
        let open = Cli::try_parse_from(["serve"]).expect("no flags").args;
        let private = Cli::try_parse_from(["serve", "--private"])
            .expect("--private")
            .args;
        assert!(!open.private && private.private);

        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ledger.db").display().to_string();
        let state = super::open(&db, &open).await.expect("opens");
        assert!(state.anonymous_read());
        assert_eq!(get_for_tests(&state, "/").await.status, 200);
        let state = super::open(&db, &private).await.expect("opens");
        assert!(!state.anonymous_read());
        assert_eq!(get_for_tests(&state, "/").await.status, 303);
        assert_eq!(get_for_tests(&state, "/api/v1/summits").await.status, 401);
        assert_eq!(get_for_tests(&state, "/login").await.status, 200);
    }

    #[tokio::test]
    async fn every_page_renders_over_the_bundled_corpus() {
        let (_dir, store) = bundled_ledger().await;
        let state = AppState::load(store).await.expect("state loads");
        let (id, _) = methane_2023(&state).await.remove(0);
        let documents = get_json(&state, "/api/v1/documents").await;
        let document = documents[0]["id"].as_str().expect("id").to_string();
        for uri in [
            "/".to_string(),
            "/search?q=methane".to_string(),
            "/search?q=trafficking&strength=firm".to_string(),
            format!("/commitments/{id}"),
            format!("/documents/{document}"),
            "/compare?summit=NALS%202023".to_string(),
            "/compare?summit=NALS%202021".to_string(),
            format!("/lineage?commitment={id}"),
            "/lineage?theme=climate_environment".to_string(),
            "/dashboard".to_string(),
            "/scorecard".to_string(),
            "/scorecard?summit=NALS%202023&theme=climate_environment".to_string(),
            "/login".to_string(),
        ] {
            let answer = get_for_tests(&state, &uri).await;
            assert_eq!(answer.status, 200, "{uri}: {}", answer.body);
            assert!(answer.content_type.starts_with("text/html"), "{uri}");
            assert!(!answer.body.contains("<script"), "{uri}");
        }
    }

    /// A process this test started in a process group of its own: the
    /// group (chromedriver and the browser it started) is killed when the
    /// test ends, even when it fails half-way.
    struct Child(std::process::Child);

    impl Drop for Child {
        fn drop(&mut self) {
            if let Ok(group) = i32::try_from(self.0.id()) {
                // SAFETY: sends a signal to the process group this test
                // created; no memory is involved.
                unsafe {
                    libc::kill(-group, libc::SIGKILL);
                }
            }
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port")
    }

    fn screenshots() -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        dir
    }

    async fn screenshot(client: &fantoccini::Client, name: &str) {
        let png = client.screenshot().await.expect("screenshot");
        assert!(png.len() > 1000, "{name}: empty screenshot");
        std::fs::write(screenshots().join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Starts chromedriver and a headless chromium session.
    async fn browser(profile: &Path) -> (Child, fantoccini::Client) {
        let port = free_port();
        use std::os::unix::process::CommandExt as _;
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver runs (apt-get install chromium chromium-driver)");
        let driver = Child(driver);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-crash-reporter", "--disable-breakpad",
                    "--window-size=1280,1400",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let client = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session");
        (driver, client)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_reader_searches_and_compares_and_an_analyst_assesses_in_a_browser() {
        use fantoccini::Locator;

        let (dir, store) = bundled_ledger().await;
        let state = AppState::load(store.clone()).await.expect("state loads");
        let hostile_document = get_json(
            &state,
            "/api/v1/commitments?issuer=MX&contains=hostile%20markup",
        )
        .await["items"][0]["document_id"]
            .as_str()
            .expect("the hostile statement is ingested")
            .to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(accord_web::serve(
            listener,
            state,
            Default::default(),
            async {
                let _ = stopped.await;
            },
        ));
        let profile = dir.path().join("chromium-profile");
        let (_driver, client) = browser(&profile).await;

        // Home: the summits.
        client.goto(&format!("{base}/")).await.expect("home");
        assert!(client.title().await.expect("title").starts_with("Summits"));
        screenshot(&client, "home").await;

        // Search for methane from the home page's form.
        client
            .find(Locator::Css("#home-q"))
            .await
            .expect("search field")
            .send_keys("methane")
            .await
            .expect("type");
        client
            .find(Locator::Css("form.search button"))
            .await
            .expect("search button")
            .click()
            .await
            .expect("submit");
        client
            .wait()
            .for_element(Locator::Css("ol.hits li.hit"))
            .await
            .expect("hits");
        assert!(!client
            .find_all(Locator::Css("ol.hits mark"))
            .await
            .expect("marks")
            .is_empty());
        screenshot(&client, "search").await;

        // Narrow to NALS 2023 and open the first result.
        client
            .find(Locator::XPath("//aside//a[contains(., 'NALS 2023')]"))
            .await
            .expect("summit facet")
            .click()
            .await
            .expect("narrow");
        client
            .wait()
            .for_element(Locator::Css("aside a.selected"))
            .await
            .expect("narrowed");
        client
            .find(Locator::Css("ol.hits li.hit a"))
            .await
            .expect("first hit")
            .click()
            .await
            .expect("open hit");
        client
            .wait()
            .for_element(Locator::Css("blockquote.commitment"))
            .await
            .expect("commitment page");
        let commitment_url = client.current_url().await.expect("address");
        let commitment_id = commitment_url
            .path()
            .rsplit('/')
            .next()
            .expect("an id")
            .to_string();
        let earlier = client
            .find(Locator::Css("ul.links li.earlier"))
            .await
            .expect("a predecessor")
            .text()
            .await
            .expect("text");
        assert!(earlier.contains("NALS 2021"), "{earlier}");
        screenshot(&client, "commitment").await;

        // Compare the versions of its summit.
        client
            .find(Locator::LinkText("Compare the versions"))
            .await
            .expect("compare link")
            .click()
            .await
            .expect("open compare");
        client
            .wait()
            .for_element(Locator::Css("table.compare tbody tr"))
            .await
            .expect("aligned rows");
        assert!(!client
            .find_all(Locator::Css("table.compare ins"))
            .await
            .expect("ins")
            .is_empty());
        screenshot(&client, "compare").await;

        // The lineage picture and the dashboard.
        client
            .goto(&format!("{base}/lineage?theme=climate_environment"))
            .await
            .expect("lineage");
        client
            .wait()
            .for_element(Locator::Css("svg circle"))
            .await
            .expect("lineage picture");
        screenshot(&client, "lineage").await;
        client
            .goto(&format!("{base}/dashboard"))
            .await
            .expect("dashboard");
        assert!(!client
            .find_all(Locator::Css("svg rect.bar"))
            .await
            .expect("bars")
            .is_empty());
        screenshot(&client, "dashboard").await;

        // Hostile ingested content stays inert: no script ran, no
        // javascript: link exists.
        client
            .goto(&format!("{base}/documents/{hostile_document}"))
            .await
            .expect("hostile document");
        // Had a script run, the title would be just "pwned".
        let title = client.title().await.expect("title");
        assert!(
            title.starts_with("<script>document.title='pwned'</script>Hostile statement"),
            "the title is shown as text: {title}"
        );
        let links = client
            .find_all(Locator::Css("a[href^='javascript']"))
            .await
            .expect("links");
        assert!(links.is_empty(), "a javascript: link is on the page");
        client
            .goto(&format!("{base}/search?q=hostile"))
            .await
            .expect("hostile search");
        assert_ne!(client.title().await.expect("title"), "pwned");
        screenshot(&client, "hostile").await;

        // An analyst logs in, assesses the methane commitment on its page
        // and sees the assessment there and on the scorecard.
        store
            .add_user(
                "ana",
                accord_store::users::Role::Analyst,
                "ana-password",
                "test",
            )
            .await
            .expect("analyst added");
        client
            .goto(&format!("{base}/login?next=/commitments/{commitment_id}"))
            .await
            .expect("login form");
        client
            .find(Locator::Css("#login-name"))
            .await
            .expect("name field")
            .send_keys("ana")
            .await
            .expect("type the name");
        client
            .find(Locator::Css("#login-password"))
            .await
            .expect("password field")
            .send_keys("ana-password")
            .await
            .expect("type the password");
        client
            .find(Locator::Css("form.login button"))
            .await
            .expect("log in button")
            .click()
            .await
            .expect("log in");
        let form = client
            .wait()
            .for_element(Locator::Css("#new-form"))
            .await
            .expect("the assessment form, back on the commitment page");
        let who = client
            .find(Locator::Css(".account .who"))
            .await
            .expect("who is logged in")
            .text()
            .await
            .expect("text");
        assert!(who.contains("ana"), "{who}");
        form.find(Locator::Css("#new-score option[value='0']"))
            .await
            .expect("score 0")
            .click()
            .await
            .expect("pick score 0");
        form.find(Locator::Css("#new-rationale"))
            .await
            .expect("rationale")
            .send_keys("The strategy is drafted but not adopted.")
            .await
            .expect("type the rationale");
        form.find(Locator::Css("#new-ev1-url"))
            .await
            .expect("evidence address")
            .send_keys("https://example.org/methane-progress")
            .await
            .expect("type the address");
        form.find(Locator::Css("#new-ev1-date"))
            .await
            .expect("evidence date")
            .send_keys("2024-05-17")
            .await
            .expect("type the date");
        screenshot(&client, "assessment-form").await;
        form.find(Locator::Css("button[type='submit']"))
            .await
            .expect("save button")
            .click()
            .await
            .expect("save");
        let verdict = client
            .wait()
            .for_element(Locator::Css("section.member .assessment .verdict"))
            .await
            .expect("the saved assessment")
            .text()
            .await
            .expect("text");
        assert!(verdict.contains("partial compliance"), "{verdict}");
        let body = client
            .find(Locator::Css("#assessments"))
            .await
            .expect("assessments")
            .text()
            .await
            .expect("text");
        assert!(
            body.contains("The strategy is drafted but not adopted."),
            "{body}"
        );
        assert!(body.contains("By ana"), "{body}");
        assert!(!client
            .find_all(Locator::Css(
                "#assessments a[href='https://example.org/methane-progress']"
            ))
            .await
            .expect("evidence links")
            .is_empty());
        screenshot(&client, "assessment").await;
        client
            .goto(&format!("{base}/scorecard"))
            .await
            .expect("scorecard");
        assert!(!client
            .find_all(Locator::Css("table.matrix td.score-partial"))
            .await
            .expect("matrix cells")
            .is_empty());
        screenshot(&client, "scorecard").await;

        client.close().await.expect("close the browser");
        let _ = stop.send(());
        let _ = server.await;
    }
}
