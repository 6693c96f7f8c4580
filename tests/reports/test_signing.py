"""Signed briefs (issue 16 item 10): a PAdES signature with a throw-away PKCS#12 certificate,
read back and checked with pyHanko; a changed byte shows; a wrong passphrase is a sentence."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest

pytest.importorskip("pyhanko")

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from kfor_desk.cli import main
from kfor_desk.reports import render_daily_brief
from kfor_desk.reports.signing import (
    Signing,
    SigningError,
    check_signature,
    sign_pdf,
)
from tests.reports import brief_factory as f


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A throw-away self-signed certificate and key as PKCS#12 (passphrase 'secret')."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Maj Test Officer"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HQ KFOR JOC (test)")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path_factory.mktemp("cert") / "officer.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"officer", key, cert, None, serialization.BestAvailableEncryption(b"secret")))
    return path, cert.public_bytes(serialization.Encoding.DER)


def test_signed_brief_verifies_stays_pdfa_and_a_changed_byte_shows(
        certificate: tuple[Path, bytes]) -> None:
    p12, der = certificate
    brief = render_daily_brief(f.daily())
    signed = sign_pdf(brief, Signing(p12, "secret"))
    assert signed.startswith(brief)  # an incremental update: the brief itself is unchanged
    check = check_signature(signed, [der])
    assert check.intact and check.trusted and check.covers_whole_file
    assert "Maj Test Officer" in check.signer
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "2"
        assert pdf.check_pdf_syntax() == []
    changed = bytearray(signed)
    changed[len(brief) // 2] ^= 0x01
    assert not check_signature(bytes(changed), [der]).intact
    # a certificate the recipient does not trust: intact, but not trusted
    assert not check_signature(signed, []).trusted


def test_wrong_passphrase_or_missing_file_is_a_sentence(certificate: tuple[Path, bytes],
                                                        tmp_path: Path) -> None:
    p12, _ = certificate
    brief = render_daily_brief(f.daily())
    with pytest.raises(SigningError, match=r"wrong passphrase.*the brief was not written"):
        sign_pdf(brief, Signing(p12, "nope"))
    with pytest.raises(SigningError, match="there is no certificate file"):
        sign_pdf(brief, Signing(tmp_path / "none.p12", "secret"))


def test_cli_signs_with_sign_option_and_refuses_a_bad_passphrase(
        certificate: tuple[Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from kfor_desk.services.demo import create_demo

    p12, der = certificate
    db = tmp_path / "d.db"
    create_demo(str(db), 10, now=datetime(2026, 11, 26, 17, 0, tzinfo=UTC)).close()
    out = tmp_path / "signed.pdf"
    monkeypatch.setenv("KFOR_DESK_SIGN_PASSPHRASE", "secret")
    assert main(["--db", str(db), "brief", "daily", str(out), "--as-of", "261700ZNOV26",
                 "--sign", str(p12)]) == 0
    assert check_signature(out.read_bytes(), [der]).intact
    monkeypatch.setenv("KFOR_DESK_SIGN_PASSPHRASE", "wrong")
    bad = tmp_path / "bad.pdf"
    assert main(["--db", str(db), "brief", "daily", str(bad), "--as-of", "261700ZNOV26",
                 "--sign", str(p12)]) == 1
    assert "wrong passphrase" in capsys.readouterr().err
    assert not bad.exists()
