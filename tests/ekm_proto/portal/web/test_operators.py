"""Operators' passwords (scrypt, per-user salt, parameters in the hash) and the ``protolab
portal user`` commands, as an administrator runs them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.web.accounts import add_operator, authenticate
from ekm_proto.portal.web.errors import OperatorError
from ekm_proto.portal.web.passwords import hash_password, verify_password
from protolab.cli.main import main


def test_a_password_hash_is_salted_and_names_its_parameters() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second  # a salt per hash
    scheme, n, r, p, salt, key = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    import base64
    assert hashlib.scrypt(b"correct horse", salt=base64.b64decode(salt), n=16384, r=8, p=1,
                          dklen=32) == base64.b64decode(key)
    assert verify_password("correct horse", first) and verify_password("correct horse", second)
    assert not verify_password("correct horse!", first)


@pytest.mark.parametrize("stored", ["", "scrypt$1$2$3", "bcrypt$16384$8$1$AAAA$AAAA",
                                    "scrypt$16384$8$1$!!!$AAAA", "scrypt$x$8$1$AAAA$AAAA"])
def test_an_unreadable_hash_never_matches(stored: str) -> None:
    assert verify_password("anything", stored) is False


@pytest.mark.parametrize(("name", "role", "password", "expected"), [
    ("", "admin", "long enough", "operator name ''"),
    ("bad name", "admin", "long enough", "operator name 'bad name'"),
    ("ada", "root", "long enough", "role 'root': expected one of viewer, admin"),
    ("ada", "admin", "short", "5 characters long; expected at least 8"),
])
def test_bad_operators_are_refused(tmp_path: Path, name: str, role: str, password: str,
                                   expected: str) -> None:
    store = PortalStore(tmp_path / "p.db")
    with pytest.raises(OperatorError, match=expected):
        add_operator(store, name, role, password, 0.0)


def test_an_operator_name_is_taken_once(tmp_path: Path) -> None:
    store = PortalStore(tmp_path / "p.db")
    add_operator(store, "ada", "admin", "first-password", 0.0)
    with pytest.raises(OperatorError, match="exists already"):
        add_operator(store, "ada", "viewer", "second-password", 0.0)
    assert authenticate(store, "ada", "first-password") == "admin"
    assert authenticate(store, "ada", "second-password") is None


def test_user_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, secret = tmp_path / "portal.db", tmp_path / "ada.pw"
    secret.write_text("ada-admin-pass\n")
    assert main(["portal", "user", "add", "ada", "--role", "admin", "--password-file",
                 str(secret), "--db", str(db)]) == 0
    assert main(["portal", "user", "add", "vic", "--role", "viewer", "--password-file",
                 str(secret), "--db", str(db)]) == 0
    assert main(["portal", "user", "list", "--db", str(db)]) == 0
    listed = [line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()
              if "\t" in line]
    assert listed == [["ada", "admin"], ["vic", "viewer"]]
    store = PortalStore(db)
    assert authenticate(store, "ada", "ada-admin-pass") == "admin"  # the line break is no part
    assert "ada-admin-pass" not in str(store.query("SELECT * FROM operators"))
    store.close()
    assert main(["portal", "user", "remove", "vic", "--db", str(db)]) == 0
    assert main(["portal", "user", "remove", "vic", "--db", str(db)]) == 2
    assert "no operator named 'vic'" in capsys.readouterr().err
    assert main(["portal", "user", "add", "x", "--role", "admin", "--password-file",
                 str(tmp_path / "missing"), "--db", str(db)]) == 2


@pytest.mark.parametrize(("flags", "expected"), [
    (["--web", "0.0.0.0:8443"], "plain HTTP is refused"),
    (["--web", "127.0.0.1:0", "--web-cert", "c.pem"], "--web-cert and --web-key go together"),
])
def test_run_refuses_unsafe_web_options(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        flags: list[str], expected: str) -> None:
    secret = tmp_path / "pw"
    secret.write_text("portal-secret\n")
    code = main(["portal", "run", "--jid", "portal@xmpp.test", "--password-file", str(secret),
                 "--xmpp-server", "127.0.0.1:1", "--db", str(tmp_path / "p.db"), *flags])
    assert code == 2 and expected in capsys.readouterr().err
