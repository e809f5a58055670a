//! The development token key pair: created on first start, kept under the data folder so
//! tokens survive a restart, never committed (`.local/` is git-ignored).

use std::path::Path;

use instainstru_shared::auth::KeyPair;

pub fn load_or_create(data_dir: Option<&Path>) -> Result<KeyPair, String> {
    let Some(dir) = data_dir else {
        return KeyPair::generate();
    };
    let private = dir.join("jwt-private.pem");
    let public = dir.join("jwt-public.pem");
    if private.exists() && public.exists() {
        let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("read {p:?}: {e}"));
        return Ok(KeyPair { private_pem: read(&private)?, public_pem: read(&public)? });
    }
    let pair = KeyPair::generate()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("create {dir:?}: {e}"))?;
    write_private(&private, &pair.private_pem)?;
    std::fs::write(&public, &pair.public_pem).map_err(|e| format!("write {public:?}: {e}"))?;
    Ok(pair)
}

fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| format!("write {path:?}: {e}"))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("write {path:?}: {e}"))
}
