//! TLS to PostgreSQL, asked for as libpq is: `sslmode` and `sslrootcert` in the
//! URL's query.
//!
//! | `sslmode` | TLS | the server's certificate |
//! |---|---|---|
//! | `disable` | never | — |
//! | `prefer` (when none is given) | when the server offers it | not checked |
//! | `require` | always | not checked; with `sslrootcert`, as `verify-ca` |
//! | `verify-ca` | always | signed by the root `sslrootcert` names (which it needs) |
//! | `verify-full` | always | signed by a trusted root, for the host connected to |
//!
//! The trusted roots are the PEM certificates of the file `sslrootcert` names, or
//! the system's own (`sslrootcert=system`, or no `sslrootcert`). As in libpq,
//! `sslrootcert=system` is taken only with `verify-full`, which it implies.
//! tokio-postgres reads the rest of the URL; it knows no `verify-*` mode and no
//! `sslrootcert`, so both are taken out of the URL here.

use std::path::PathBuf;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

/// What the URL's `sslmode` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    fn read(value: &str) -> Result<Mode, String> {
        Ok(match value {
            "disable" => Mode::Disable,
            "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode {other:?} is none of disable, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Prefer => "prefer",
            Mode::Require => "require",
            Mode::VerifyCa => "verify-ca",
            Mode::VerifyFull => "verify-full",
        }
    }
}

/// Where the trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Roots {
    /// The system's own.
    System,
    /// The PEM certificates of a file.
    File(PathBuf),
}

/// The TLS a URL asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tls {
    pub mode: Mode,
    /// `sslrootcert`, when given.
    pub roots: Option<Roots>,
}

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    None,
    Chain,
    ChainAndName,
}

impl Tls {
    /// The URL without `sslmode` and `sslrootcert`, for tokio-postgres, and the TLS
    /// they ask for.
    ///
    /// # Errors
    /// A sentence saying which parameter does not read.
    pub fn split(url: &str) -> Result<(String, Tls), String> {
        // The query starts after the credentials: a `?` in a password is not it.
        let authority = url.find("://").map_or(0, |i| i + 3);
        let after = url[authority..].find('@').map_or(authority, |i| authority + i + 1);
        let (base, query) = match url[after..].find('?') {
            Some(i) => (&url[..after + i], &url[after + i + 1..]),
            None => (url, ""),
        };
        let mut kept = Vec::new();
        let mut mode = None;
        let mut roots = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // Keys are read %-decoded, as tokio-postgres and libpq read them.
            let key = percent_decode_str(key).decode_utf8_lossy();
            let key = key.as_ref();
            let decoded = || {
                percent_decode_str(value)
                    .decode_utf8()
                    .map(|v| v.into_owned())
                    .map_err(|_| format!("{key} is not UTF-8 once its %-escapes are read"))
            };
            match key {
                "sslmode" => mode = Some(Mode::read(&decoded()?)?),
                "sslrootcert" => {
                    let value = decoded()?;
                    roots = Some(match value.as_str() {
                        "" => return Err("sslrootcert names no file".to_owned()),
                        "system" => Roots::System,
                        _ => Roots::File(PathBuf::from(value)),
                    });
                }
                _ => kept.push(pair),
            }
        }
        let mode = match (mode, &roots) {
            (None, Some(Roots::System)) => Mode::VerifyFull,
            (Some(m), Some(Roots::System)) if m != Mode::VerifyFull => {
                return Err(format!(
                    "sslrootcert=system checks the server's certificate in full: \
                     it takes sslmode=verify-full, not {}",
                    m.name()
                ));
            }
            (mode, _) => mode.unwrap_or(Mode::Prefer),
        };
        let url =
            if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
        // Whatever is left must not ask for TLS where this did not read it: the mode
        // set here would silently replace it.
        let rest = percent_decode_str(&url).decode_utf8_lossy().to_ascii_lowercase();
        if rest.contains("sslmode") || rest.contains("sslrootcert") {
            return Err("sslmode or sslrootcert stands where it cannot be read as a \
                        parameter: percent-encode `?`, `@` and `/` in the user name and \
                        password"
                .to_owned());
        }
        if mode == Mode::VerifyCa && roots.is_none() {
            return Err("sslmode=verify-ca checks the server's certificate against a root \
                        but not its host name: name the root that signed it with \
                        sslrootcert (the system's roots would take a certificate for any \
                        host), or use verify-full"
                .to_owned());
        }
        Ok((url, Tls { mode, roots }))
    }

    fn check(&self) -> Check {
        match self.mode {
            Mode::Disable | Mode::Prefer => Check::None,
            Mode::Require if self.roots.is_none() => Check::None,
            Mode::Require | Mode::VerifyCa => Check::Chain,
            Mode::VerifyFull => Check::ChainAndName,
        }
    }

    /// tokio-postgres's mode for this one.
    pub fn ssl_mode(&self) -> SslMode {
        match self.mode {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }

    /// The connector that makes the connections' TLS, its roots read.
    ///
    /// # Errors
    /// A sentence naming the root certificates that cannot be read.
    pub fn connector(&self) -> Result<MakeRustlsConnect, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?;
        let config = match self.check() {
            Check::None => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                .with_no_client_auth(),
            Check::Chain => {
                let chain = WebPkiServerVerifier::builder_with_provider(
                    Arc::new(self.root_store()?),
                    provider,
                )
                .build()
                .map_err(|e| format!("cannot set up TLS: {e}"))?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AnyName(chain)))
                    .with_no_client_auth()
            }
            Check::ChainAndName => {
                builder.with_root_certificates(self.root_store()?).with_no_client_auth()
            }
        };
        Ok(MakeRustlsConnect::new(config))
    }

    fn root_store(&self) -> Result<RootCertStore, String> {
        let mut store = RootCertStore::empty();
        match &self.roots {
            None | Some(Roots::System) => {
                let found = rustls_native_certs::load_native_certs();
                let (added, _) = store.add_parsable_certificates(found.certs);
                if added == 0 {
                    return Err(format!(
                        "sslmode={} checks the server's certificate, and this system has no \
                         trusted root certificates: name a PEM file of them with sslrootcert",
                        self.mode.name()
                    ));
                }
            }
            Some(Roots::File(path)) => {
                let shown = path.display();
                let certs = CertificateDer::pem_file_iter(path)
                    .map_err(|e| format!("cannot read sslrootcert {shown}: {e}"))?;
                for cert in certs {
                    let cert =
                        cert.map_err(|e| format!("sslrootcert {shown} does not read: {e}"))?;
                    store.add(cert).map_err(|e| {
                        format!("sslrootcert {shown} holds a certificate that does not read: {e}")
                    })?;
                }
                if store.is_empty() {
                    return Err(format!("sslrootcert {shown} holds no PEM certificate"));
                }
            }
        }
        Ok(store)
    }

    /// How a connection made under this is described, given the TLS version it uses
    /// (`None` when it is not encrypted): `over TLSv1.3, server certificate
    /// verified`.
    pub fn describe(&self, version: Option<&str>) -> String {
        let Some(version) = version else { return "without TLS".to_owned() };
        let roots = match &self.roots {
            Some(Roots::File(path)) => format!(" by {}", path.display()),
            None | Some(Roots::System) => " by the system's roots".to_owned(),
        };
        let check = match self.check() {
            Check::None => format!("server certificate not checked (sslmode={})", self.mode.name()),
            Check::Chain => format!("server certificate verified{roots}, host name not checked"),
            Check::ChainAndName => format!("server certificate verified{roots}"),
        };
        format!("over {version}, {check}")
    }
}

/// Takes any certificate, as libpq's `prefer` and `require` do: the connection is
/// encrypted, the server not authenticated. The handshake's signatures are still
/// checked, so the certificate shown is the one the server holds the key of.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl Unchecked {
    fn algorithms(&self) -> &WebPkiSupportedAlgorithms {
        &self.0.signature_verification_algorithms
    }
}

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, self.algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, self.algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms().supported_schemes()
    }
}

/// libpq's `verify-ca`: the certificate must be signed by a trusted root, for any
/// host name.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The chain is checked before the name: an error of the name alone means
        // the chain holds.
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(url: &str) -> Result<(String, Tls), String> {
        Tls::split(url)
    }

    #[test]
    fn the_tls_parameters_are_taken_out_and_the_rest_kept_in_order() {
        let (url, tls) = split(
            "postgres://u@h/db?application_name=a&sslmode=verify-full&sslrootcert=%2Fetc%2Fca%20x.pem&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(url, "postgres://u@h/db?application_name=a&connect_timeout=3");
        assert_eq!(
            tls,
            Tls { mode: Mode::VerifyFull, roots: Some(Roots::File("/etc/ca x.pem".into())) }
        );
        let (url, tls) = split("postgres://u@h/db?sslmode=disable").unwrap();
        assert_eq!((url.as_str(), tls.mode), ("postgres://u@h/db", Mode::Disable));
    }

    #[test]
    fn no_sslmode_is_prefer_as_in_libpq_and_sslrootcert_system_is_verify_full() {
        let (url, tls) = split("postgres://u@h/db").unwrap();
        assert_eq!((url.as_str(), tls.mode, tls.roots), ("postgres://u@h/db", Mode::Prefer, None));
        assert_eq!(split("postgres://u@h/db?sslrootcert=system").unwrap().1.mode, Mode::VerifyFull);
        let err = split("postgres://u@h/db?sslmode=require&sslrootcert=system").unwrap_err();
        assert!(err.contains("takes sslmode=verify-full, not require"), "{err}");
    }

    /// Bug (found in review): a `?` in a password, or a key written %-encoded, hid
    /// the URL's `sslmode` from this reading, and the mode set in its place (prefer)
    /// replaced the `require` tokio-postgres read: TLS silently not required.
    #[test]
    fn a_question_mark_in_a_password_hid_sslmode_and_weakened_it() {
        let (url, tls) = split("postgres://u:pa?ss@h/db?sslmode=require").unwrap();
        assert_eq!((url.as_str(), tls.mode), ("postgres://u:pa?ss@h/db", Mode::Require));
        let (_, tls) = split("postgres://u@h/db?ssl%6Dode=verify-full").unwrap();
        assert_eq!(tls.mode, Mode::VerifyFull);
        let err = split("postgres://u:p%3Fsslmode=x@h/db").unwrap_err();
        assert!(err.starts_with("sslmode or sslrootcert stands where"), "{err}");
    }

    /// Bug (found in review): verify-ca with no sslrootcert took the system's roots,
    /// so any public certificate, for any host, passed.
    #[test]
    fn verify_ca_without_a_root_took_any_public_certificate() {
        let err = split("postgres://u@h/db?sslmode=verify-ca").unwrap_err();
        assert!(err.starts_with("sslmode=verify-ca checks"), "{err}");
        assert!(split("postgres://u@h/db?sslmode=verify-ca&sslrootcert=/ca.pem").is_ok());
    }

    #[test]
    fn a_wrong_sslmode_or_an_empty_sslrootcert_is_named() {
        let err = split("postgres://u@h/db?sslmode=verify").unwrap_err();
        assert_eq!(
            err,
            "sslmode \"verify\" is none of disable, prefer, require, verify-ca, verify-full"
        );
        assert_eq!(
            split("postgres://u@h/db?sslrootcert=").unwrap_err(),
            "sslrootcert names no file"
        );
    }

    #[test]
    fn require_checks_the_chain_only_once_roots_are_given() {
        let tls = |mode, roots| Tls { mode, roots };
        assert_eq!(tls(Mode::Require, None).check(), Check::None);
        assert_eq!(tls(Mode::Require, Some(Roots::File("ca.pem".into()))).check(), Check::Chain);
        assert_eq!(tls(Mode::VerifyCa, Some(Roots::File("ca.pem".into()))).check(), Check::Chain);
        // What a URL gives, not only what the fields could hold.
        let (_, verify_ca) =
            split("postgres://u@h/db?sslmode=verify-ca&sslrootcert=/etc/ca.pem").unwrap();
        assert_eq!(verify_ca.check(), Check::Chain);
        assert_eq!(tls(Mode::VerifyFull, None).check(), Check::ChainAndName);
        assert_eq!(tls(Mode::Prefer, Some(Roots::File("ca.pem".into()))).check(), Check::None);
    }

    #[test]
    fn a_missing_or_empty_root_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.pem");
        let tls = Tls { mode: Mode::VerifyFull, roots: Some(Roots::File(missing.clone())) };
        let err = tls.connector().err().unwrap();
        assert!(
            err.starts_with(&format!("cannot read sslrootcert {}", missing.display())),
            "{err}"
        );
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let tls = Tls { mode: Mode::VerifyCa, roots: Some(Roots::File(empty.clone())) };
        assert_eq!(
            tls.connector().err().unwrap(),
            format!("sslrootcert {} holds no PEM certificate", empty.display())
        );
    }

    #[test]
    fn a_connection_is_described_by_its_version_and_its_check() {
        let file = Some(Roots::File("/etc/ca.pem".into()));
        let tls = Tls { mode: Mode::VerifyFull, roots: file.clone() };
        assert_eq!(
            tls.describe(Some("TLSv1.3")),
            "over TLSv1.3, server certificate verified by /etc/ca.pem"
        );
        assert_eq!(tls.describe(None), "without TLS");
        let (_, tls) =
            split("postgres://u@h/db?sslmode=verify-ca&sslrootcert=/etc/ca.pem").unwrap();
        assert_eq!(
            tls.describe(Some("TLSv1.2")),
            "over TLSv1.2, server certificate verified by /etc/ca.pem, host name not checked"
        );
        let tls = Tls { mode: Mode::Prefer, roots: file };
        assert_eq!(
            tls.describe(Some("TLSv1.3")),
            "over TLSv1.3, server certificate not checked (sslmode=prefer)"
        );
    }
}
