"""`sarif: auto` (issue 15, item 1): the SARIF report is uploaded only where GitHub accepts it — a
public repository, or one whose API says code scanning is on — and never from a fork's pull
request; elsewhere the upload is skipped with a notice, never a failure. The API is a local fake
answering as GitHub's REST API documents ``GET /repos/{owner}/{repo}/code-scanning/alerts``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakes.server import FakeServer, Reply, Request
from tests.helpers import Repo
from tests.integrations.test_ci_github import Actions

JOB_TOKEN = "job-token-for-the-code-scanning-check"
PRIVATE = {"full_name": "octo/app", "private": True}
PUBLIC = {"full_name": "octo/app", "private": False}
ALERTS = "/repos/octo/app/code-scanning/alerts"


def code_scanning(status: int, message: str | None = None) -> FakeServer:
    fake = FakeServer()

    def alerts(req: Request) -> Reply:
        if req.bearer() != JOB_TOKEN:
            return Reply(401, {"message": "Bad credentials"})
        if status == 200:
            return Reply(200, [])
        return Reply(status, {"message": message, "documentation_url": "https://docs.github.com/rest"})

    fake.add("GET", ALERTS, alerts)
    return fake


@pytest.fixture
def gh(tmp_path: Path, repo: Repo) -> Actions:
    repo.write("main.py", "print('nothing secret')\n")
    repo.commit("clean")
    return Actions(tmp_path, repo.root)


def _run(gh: Actions, payload: dict[str, Any], fake: FakeServer | None = None, event: str = "push",
         **inputs: str):  # type: ignore[no-untyped-def]
    env = gh.env(event, payload, **inputs)
    env.update(GITHUB_TOKEN=JOB_TOKEN, GITHUB_REPOSITORY="octo/app")
    if fake is not None:
        env["GITHUB_API_URL"] = fake.url
    proc = gh.run(env)
    assert JOB_TOKEN not in proc.stdout + proc.stderr + gh.summary.read_text() + gh.output.read_text()
    return proc


def _notices(stdout: str) -> list[str]:
    return [line.removeprefix("::notice::") for line in stdout.splitlines() if line.startswith("::notice::")]


def test_a_public_repository_uploads_without_asking(gh: Actions) -> None:
    with code_scanning(403, "unused") as fake:
        proc = _run(gh, {"repository": PUBLIC}, fake)
    assert proc.returncode == 0, proc.stderr
    assert Path(gh.outputs()["sarif-file"]).is_file()
    assert fake.sent() == [] and _notices(proc.stdout) == []


def test_a_private_repository_with_code_scanning_on_uploads(gh: Actions) -> None:
    with code_scanning(200) as fake:
        proc = _run(gh, {"repository": PRIVATE}, fake)
    assert proc.returncode == 0, proc.stderr
    assert Path(gh.outputs()["sarif-file"]).is_file()
    [req] = fake.requests
    assert (req.method, req.path, req.query) == ("GET", ALERTS, {"per_page": ["1"]})
    assert req.header("accept") == "application/vnd.github+json"


def test_code_scanning_on_with_no_analysis_yet_uploads(gh: Actions) -> None:
    # The first upload is what gives the repository an analysis: it must not be skipped forever.
    with code_scanning(404, "no analysis found") as fake:
        proc = _run(gh, {"repository": PRIVATE}, fake)
    assert proc.returncode == 0 and Path(gh.outputs()["sarif-file"]).is_file()


@pytest.mark.parametrize("status, message", [
    (403, "Advanced Security must be enabled for this repository to use code scanning."),
    (404, "Not Found"),
])
def test_a_private_repository_without_code_scanning_skips_with_a_notice(gh: Actions, status: int,
                                                                         message: str) -> None:
    with code_scanning(status, message) as fake:
        proc = _run(gh, {"repository": PRIVATE}, fake)
    assert proc.returncode == 0, proc.stderr  # never a failure
    assert gh.outputs()["sarif-file"] == ""  # so the upload step does not run
    assert not (gh.dir / "tokenreach" / "tokenreach.sarif").exists()
    assert _notices(proc.stdout) == [
        f"SARIF not uploaded to code scanning: code scanning is not enabled for octo/app (the API answered "
        f"{status}); enable it, or set sarif: false to skip this check"]
    assert Path(gh.outputs()["html-file"]).is_file()  # the other reports are unaffected


def test_a_pull_request_from_a_fork_never_uploads(gh: Actions, repo: Repo) -> None:
    head = repo.git("rev-parse", "HEAD").strip()
    pr = {"number": 3, "base": {"sha": head, "repo": PUBLIC},
          "head": {"sha": head, "repo": {"full_name": "stranger/app", "private": False}}}
    with code_scanning(200) as fake:
        proc = _run(gh, {"pull_request": pr, "repository": PUBLIC}, fake, event="pull_request")
    assert proc.returncode == 0, proc.stderr
    assert gh.outputs()["sarif-file"] == "" and fake.sent() == []
    [notice] = _notices(proc.stdout)
    assert "a pull request from a fork gets a read-only token" in notice


def test_a_pull_request_within_the_repository_uploads(gh: Actions, repo: Repo) -> None:
    head = repo.git("rev-parse", "HEAD").strip()
    pr = {"number": 4, "base": {"sha": head, "repo": PUBLIC}, "head": {"sha": head, "repo": PUBLIC}}
    proc = _run(gh, {"pull_request": pr, "repository": PUBLIC}, event="pull_request")
    assert proc.returncode == 0 and Path(gh.outputs()["sarif-file"]).is_file()


def test_offline_never_asks(gh: Actions) -> None:
    with code_scanning(200) as fake:
        proc = _run(gh, {"repository": PRIVATE}, fake, offline="true")
    assert gh.outputs()["sarif-file"] == "" and fake.sent() == []
    [notice] = _notices(proc.stdout)
    assert "offline" in notice and "sarif: true" in notice


def test_an_unreachable_api_skips_with_a_notice(gh: Actions) -> None:
    fake = code_scanning(200).start()
    url = fake.url
    fake.stop()  # nothing listens there any more
    env = gh.env("push", {"repository": PRIVATE})
    env.update(GITHUB_TOKEN=JOB_TOKEN, GITHUB_REPOSITORY="octo/app", GITHUB_API_URL=url)
    proc = gh.run(env)
    assert proc.returncode == 0, proc.stderr
    [notice] = _notices(proc.stdout)
    assert notice.startswith("SARIF not uploaded to code scanning: could not ask whether code scanning is on")


def test_a_plain_http_api_elsewhere_than_loopback_is_not_asked(gh: Actions) -> None:
    env = gh.env("push", {"repository": PRIVATE})
    env.update(GITHUB_TOKEN=JOB_TOKEN, GITHUB_REPOSITORY="octo/app", GITHUB_API_URL="http://api.example.com")
    proc = gh.run(env)
    assert proc.returncode == 0
    assert _notices(proc.stdout) == ["SARIF not uploaded to code scanning: GITHUB_API_URL is not an https URL"]


def test_explicit_true_and_false(gh: Actions) -> None:
    proc = _run(gh, {"repository": PRIVATE}, sarif="true", offline="true")
    assert Path(gh.outputs()["sarif-file"]).is_file() and _notices(proc.stdout) == []
    gh.output.write_text("")
    proc = _run(gh, {"repository": PUBLIC}, sarif="false")
    assert gh.outputs()["sarif-file"] == "" and _notices(proc.stdout) == []


def test_a_bad_sarif_value_is_a_one_line_error(gh: Actions) -> None:
    proc = _run(gh, {"repository": PUBLIC}, sarif="sometimes")
    assert proc.returncode == 2
    assert "--sarif must be auto, true or false, not 'sometimes'" in proc.stderr
