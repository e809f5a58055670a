//! moto, the second emulator the storage and queue tests are checked against: the server
//! the test command starts, a test's own server, and [`Backend`] to run a test on both.

use crate::{clients::sqs_client, dynamo::Endpoint, env::TestEnv};

/// The moto server the test command started. The storage and queue tests run against it
/// as well as dynoxide; without it they fail (never skip): run `infra/scripts/test.sh`.
pub fn moto_endpoint() -> Endpoint {
    let url = std::env::var("MOTO_ENDPOINT")
        .expect("MOTO_ENDPOINT is not set: run the tests through infra/scripts/test.sh, which starts moto");
    Endpoint { url }
}

/// A fresh queue for each of the stack's queue logical ids on an SQS endpoint (moto):
/// (logical id, queue URL) pairs, for running the real binaries with the template's
/// environment.
pub async fn queue_stand_ins(url: &str, logical_ids: &[&str]) -> Result<Vec<(String, String)>, String> {
    let sqs = sqs_client(url);
    let mut out = Vec::new();
    for id in logical_ids {
        let name = unique_table(&id.to_lowercase());
        let created = sqs.create_queue().queue_name(&name).send().await.map_err(|e| format!("create {id}: {e:?}"))?;
        out.push(((*id).to_owned(), created.queue_url.ok_or(format!("{id}: no queue url"))?));
    }
    Ok(out)
}

/// A moto server of one test's own, stopped when dropped.
///
/// moto's `TransactWriteItems` deep-copies its table before each transaction (to roll back
/// on failure), so a transaction costs time in proportion to the table. A test that races
/// transactions gets its own server: `serial` turns off moto's request threads, which are
/// not safe for concurrent transactions.
pub struct PrivateMoto {
    child: std::process::Child,
    pub endpoint: Endpoint,
}

/// moto's server as the test command runs it (with its one-copy-per-table backup fix).
const MOTO_SERVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/scripts/moto_server.py");

impl PrivateMoto {
    pub async fn start(serial: bool) -> Self {
        let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python");
        assert!(
            std::path::Path::new(python).exists(),
            "{python} is missing: run the tests through infra/scripts/test.sh, which installs moto"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let mode = if serial { "serial" } else { "threaded" };
        let child = std::process::Command::new(python)
            .args([MOTO_SERVER, &port.to_string(), mode])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start a private moto");
        let moto = Self { child, endpoint: Endpoint { url: format!("http://127.0.0.1:{port}") } };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return moto;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("private moto did not start on port {port}");
    }

    /// A fresh environment with its own table on this server.
    pub async fn env(&self) -> TestEnv {
        TestEnv::on(self.endpoint.clone(), &unique_table("test")).await
    }
}

impl Drop for PrivateMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Which emulator a peer-checked test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Dynoxide,
    Moto,
}

impl Backend {
    pub const BOTH: [Backend; 2] = [Backend::Dynoxide, Backend::Moto];

    /// A fresh environment (its own table) on this emulator.
    pub async fn env(self) -> TestEnv {
        match self {
            Backend::Dynoxide => TestEnv::new().await,
            Backend::Moto => TestEnv::on(moto_endpoint(), &unique_table("test")).await,
        }
    }
}

/// A unique table name per test, for shared emulators (moto).
pub fn unique_table(prefix: &str) -> String {
    format!("{prefix}-{}", instainstru_shared::ids::new_id().to_lowercase())
}
