"""Jenkins API tokens.

Format: Jenkins' API token documentation (jenkins.io/doc/book/security/api-tokens/, and the token
store since Jenkins 2.129): new API tokens are ``11`` (the token version) followed by 32 hex digits.
They have no textual prefix, so they are found where a Jenkins name stands in the assignment
(``JENKINS_API_TOKEN``) or after ``-auth user:`` on a jenkins-cli command line. Tokens in
``https://user:token@jenkins`` URLs are credentials_url.py's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible_hex

_TOKEN = "11" + fake("hex", 32, "jenkins")

PATTERNS = (
    Pattern(
        id="jenkins.api_token",
        name="Jenkins API token",
        regex=assigned(r"jenkins[\w.\-]{0,30}?(?:token|api[_.\-]?key|password|pass)", r"11[0-9a-f]{32}", gap=10),
        keywords=("jenkins",),
        kind="api_token",
        validate=lambda s: plausible_hex(s[2:]),
        examples=(f"JENKINS_API_TOKEN={_TOKEN}", f'jenkins_token: "{_TOKEN}"'),
        counterexamples=(f"JENKINS_API_TOKEN={_TOKEN[:30]}", "JENKINS_API_TOKEN=${JENKINS_API_TOKEN}",
                         "JENKINS_API_TOKEN=11" + "0" * 32, "JENKINS_API_TOKEN=22" + fake("hex", 32, "jk-22")),
    ),
    Pattern(
        id="jenkins.cli_auth",
        name="Jenkins API token (jenkins-cli -auth)",
        regex=r"-auth[ =]['\"]?[\w.@\-]{1,100}:(?P<secret>11[0-9a-f]{32})" + END,
        keywords=("-auth",),
        kind="api_token",
        validate=lambda s: plausible_hex(s[2:]),
        examples=(f"java -jar jenkins-cli.jar -s https://ci.acme.test/ -auth deploy:{_TOKEN} build app",
                  f"jenkins-cli -auth 'admin:{_TOKEN}' who-am-i"),
        counterexamples=("java -jar jenkins-cli.jar -auth deploy:$JENKINS_TOKEN build app",
                         "java -jar jenkins-cli.jar -auth @/run/secrets/jenkins build app"),
    ),
)


class JenkinsDetector(Detector):
    provider = "jenkins"
    title = "Jenkins"
    patterns = PATTERNS
    revoke_url = "https://www.jenkins.io/doc/book/security/api-tokens/"
    least_privilege = "create the token for a dedicated user whose matrix permissions cover only the jobs it triggers"


detector = JenkinsDetector()
