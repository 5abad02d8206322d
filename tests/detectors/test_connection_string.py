"""Connection strings and credential files: the password is the secret, the server stays with it."""

from __future__ import annotations

import pytest

from tests.helpers import Repo, scan_json
from tokenreach.scanner.engine import tokens_in


@pytest.mark.parametrize(("text", "pattern", "secret", "host"), [
    ("Server=tcp:sql.acme.test,1433;Database=o;User ID=o;Password=Kq7vR2mXp9Lw;Encrypt=True;",
     "connection_string.ado_net", "Kq7vR2mXp9Lw", "tcp:sql.acme.test,1433"),
    ("User ID=o;Pwd=Kq7vR2mXp9Lw;Data Source=db01.acme.test;", "connection_string.ado_net_password_first",
     "Kq7vR2mXp9Lw", "db01.acme.test"),
    ("jdbc:postgresql://pg.acme.test:5432/app?user=app&password=Hn5Wq2Zx8Lp&ssl=true",
     "connection_string.jdbc", "Hn5Wq2Zx8Lp", "pg.acme.test"),
    ("jdbc:sqlserver://sql.acme.test:1433;databaseName=crm;user=crm;password=Pz8Ld4Nw2Xq;encrypt=true",
     "connection_string.jdbc", "Pz8Ld4Nw2Xq", "sql.acme.test"),
    ("machine ftp.acme.test\n\tlogin backup\n\tpassword Yk3Pz8Wq5Ln7\n", "connection_string.netrc",
     "Yk3Pz8Wq5Ln7", "ftp.acme.test"),
    ("db.acme.test:6432:app:app_user:Wc8Kp3Zm6Rq2\n", "connection_string.pgpass", "Wc8Kp3Zm6Rq2", "db.acme.test"),
])
def test_the_password_and_its_server(engine, text, pattern, secret, host):
    [m] = engine.scan(text.encode())
    assert (m.pattern.id, m.secret, dict(m.extras)["host"]) == (pattern, secret, host)


def test_database_urls_stay_with_their_modules():
    """The URL forms the database lookups consume are still theirs (a JDBC URL with userinfo too)."""
    cases = {
        "DATABASE_URL=postgres://app:Xk9v2LmQ7pRt@db.acme.test:5432/app": "postgres.url",
        "jdbc:mysql://app:Rb6Kt3Mv9Qx@mysql.acme.test:3306/app": "mysql.url",
        "MONGO_URL=mongodb+srv://svc:Gw7Rk2Pq9Zm@cluster0.abcde.mongodb.test/app": "mongodb.url",
        "REDIS_URL=rediss://:Jx5Hq8Lm3Vt@cache.acme.test:6380": "redis.url",
        "BROKER_URL=amqps://app:Qm4Zr9Wk2Lx@rabbit.acme.test:5671/vhost": "url.amqp",
        "sftp://backup:Yh3Nc8Vb1Mq@sftp.acme.test:22/backups": "url.ftp",
    }
    for text, pattern in cases.items():
        assert [t.pattern_id for t in tokens_in(text)] == [pattern], text


def test_a_heroku_netrc_entry_stays_herokus():
    text = "machine api.heroku.com\n  login dev@acme.test\n  password 5f0c8a2e-6b1d-4c3e-9a7f-2d8b4e6c1a9f\n"
    assert [t.pattern_id for t in tokens_in(text)] == ["heroku.netrc"]


def test_service_bus_key_in_its_connection_string():
    text = ("Endpoint=sb://acme-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
            "SharedAccessKey=rB6Nf9xTMgdq9n+gT2Y3V7a4Xy3nW5l0Qm8Kz1Rp7Ts=")
    [t] = tokens_in(text)
    assert (t.provider, t.extras["namespace"], t.extras["policy"]) == (
        "azure_service_bus", "acme-orders", "RootManageSharedAccessKey")


def test_credential_files_in_a_repository(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write(".netrc", "machine ftp.acme.test login backup password Yk3Pz8Wq5Ln7\n")
    repo.write("ops/.pgpass", "*:*:*:replicator:Lx4Vq9Nb2Tz7\n")
    repo.write("appsettings.json", '{"ConnectionStrings": {"Db": "Data Source=db01.acme.test;User Id=shop;'
                                   'Password=Tz4Nq8Wb2Hc;"}}\n')
    doc = scan_json(repo.root, "--offline", "--no-history")
    kinds = sorted(f["kind"] for f in doc["findings"])
    assert kinds == ["connection_string_password", "netrc_password", "pgpass_password"]
    assert all("Yk3Pz8Wq5Ln7" not in str(f) for f in doc["findings"])  # redacted
