"""A PAdES signature on a finished brief, with the desk officer's PKCS#12 certificate (pyHanko).

The signature is added as an incremental update after the PDF/A-2b file (PDF/A-2 allows it),
so the signed bytes are the unsigned brief plus a signature a recipient's PDF reader checks:
any change to the brief afterwards shows as "altered". No time-stamp authority and no
revocation look-up is used (nothing here touches the network), so the signing time is the
workstation's clock, stated in the signature as the signer's claim. A signed brief is therefore
not byte-for-byte reproducible (the signing time is in it); the brief under it still is.

:func:`check_signature` reads the signature back (the tests; a recipient uses their reader).
This module does not choose or store the certificate: the caller passes it (``--sign``).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SigningError(ValueError):
    """The certificate cannot be used; nothing was written."""


@dataclass(frozen=True, slots=True)
class Signing:
    """What to sign with: a PKCS#12 file (certificate and private key) and its passphrase."""

    p12: Path
    passphrase: str | None = None
    reason: str = "Issued by the KFOR Desk duty officer"
    location: str = ""


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # the certificate chains to one of the given trust roots
    signer: str  # the certificate's subject, readable
    covers_whole_file: bool  # nothing was appended after the signature


@contextmanager
def _quiet_import() -> Iterator[None]:
    """cryptography ≥ 51 warns on import of its DSA module, which pyHanko imports; no brief is
    signed or checked with DSA here, and the officer should not read about it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        yield


def _load(signing: Signing) -> Any:
    try:
        with _quiet_import():
            from pyhanko.sign import signers
    except ImportError:  # pragma: no cover - the [sign] extra is not installed
        raise SigningError("signing needs pyHanko (pip install 'kfor-desk[sign]'); "
                           "the brief was not written") from None
    if not signing.p12.is_file():
        raise SigningError(f"there is no certificate file {signing.p12}; the brief was "
                           "not written")
    passphrase = signing.passphrase.encode() if signing.passphrase else None
    try:  # load_pkcs12 would log a traceback for a wrong passphrase: read the bytes here
        signer = signers.SimpleSigner.load_pkcs12_data(signing.p12.read_bytes(),
                                                       other_certs=(), passphrase=passphrase)
    except (ValueError, TypeError, OSError):
        signer = None
    if signer is None:
        raise SigningError(f"cannot read the certificate {signing.p12}: not a PKCS#12 file, "
                           "or the wrong passphrase (KFOR_DESK_SIGN_PASSPHRASE); the brief "
                           "was not written")
    return signer


def sign_pdf(data: bytes, signing: Signing) -> bytes:
    """``data`` (a finished brief) with a PAdES signature appended."""
    signer = _load(signing)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name="KFORDeskSignature", md_algorithm="sha256", reason=signing.reason,
        location=signing.location or None, subfilter=fields.SigSeedSubFilter.PADES)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


def check_signature(data: bytes, trust_roots: list[bytes]) -> SignatureCheck:
    """The first signature of ``data``, checked against ``trust_roots`` (DER or PEM
    certificates) without any network look-up."""
    from asn1crypto import pem, x509
    with _quiet_import():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    roots = [x509.Certificate.load(pem.unarmor(c)[2] if pem.detect(c) else c)
             for c in trust_roots]
    sig = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = validate_pdf_signature(
        sig, ValidationContext(trust_roots=roots, allow_fetching=False))
    return SignatureCheck(
        intact=bool(status.intact), trusted=bool(status.trusted),
        signer=str(status.signing_cert.subject.human_friendly),
        covers_whole_file=status.coverage is not None
        and status.coverage.name == "ENTIRE_FILE")
