"""`make scan`: serve the app on a throwaway database and attack it with wapiti and sqlmap, plus bandit.

The scanners exit 0 whatever they find, so this script reads their reports and fails on:
- bandit: any issue of medium severity or above in coursesite/;
- wapiti: any finding of medium level or above, any finding in the injection/XSS/CSRF/redirect categories,
  any 500 answer it provoked; and a scan that did not log in or reached fewer than
  MIN_AUTHENTICATED_PAGES pages only a logged-in person can see;
- sqlmap: any target where it "identified the following injection point", or where it did not finish
  testing (no verdict in its log);
- bounds: any 500 answer to the numbers and dates of tests/payloads.py sent where the site reads a number
  or a date, and any page a visitor gets for an assignment that has not opened;
- resources (tests/scan/resources.py): a hostile image answered otherwise than expected, a worker that held
  200 MB or more, or an editor preview never rate limited.
Every request goes to 127.0.0.1; wapiti's out-of-band endpoints point at a closed local port.
Reports and logs: ci-artifacts/scan/.
Usage: python -m tests.scan.run_scan [--only wapiti,sqlmap,bandit,bounds,resources]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.live_server import PROJECT_ROOT, LiveServer
from tests.payloads import DATE_PAYLOADS, NUMBER_PAYLOADS
from tests.payloads_images import HOSTILE_IMAGES
from tests.scan.resources import hostile_images, preview_flood

SCAN_BIN = Path(os.environ.get("COURSESITE_SCAN_BIN", PROJECT_ROOT / ".venv-scan" / "bin"))
OUT = Path(os.environ.get("COURSESITE_SCAN_ARTIFACTS", PROJECT_ROOT / "ci-artifacts" / "scan"))
DEMO_PASSWORD = "coursesite-demo"
INSTRUCTOR, STUDENT = "instructor@example.edu", "student1@example.edu"

WAPITI_MODULES = "xss,permanentxss,sql,exec,file,redirect,crlf,csrf,http_headers,cookieflags,csp,methods"
ALWAYS_FAIL = {
    "Reflected Cross Site Scripting", "Stored Cross Site Scripting", "HTML Injection", "Stored HTML Injection",
    "SQL Injection", "Blind SQL Injection", "Cross Site Request Forgery", "Command execution", "Path Traversal",
    "Open Redirect", "CRLF Injection", "Server Side Request Forgery", "Content Security Policy Configuration",
    "Clickjacking Protection", "MIME Type Confusion", "HttpOnly Flag cookie",
}
# Findings checked and accepted, each with the reason. Keep this short.
ACCEPTED = {
    ("Cross Site Request Forgery", "/auth/account"): (
        "the page holds two prefixed forms, so their tokens are named profile-csrf_token and "
        "password-csrf_token, names wapiti does not know; tests/functional/security/test_csrf.py shows both are "
        "enforced"
    ),
    ("Secure Flag cookie", "/"): "the scan serves plain HTTP in development; production cookies are Secure "
                                 "(tests/functional/security/test_security_headers.py)",
}
# Pages that answer 200 only to a logged-in person: a scan that reached few of them did not test much.
# Pages only a logged-in person (here the instructor) can open: staff pages and a member's own lists.
AUTHENTICATED_PAGE = re.compile(
    r"^/(auth/account|join|courses/new|notifications|c/[^/]+/(roster|settings|welcome|dashboard|drafts|trash|"
    r"moderation|my-work|my-comments|my-grades|posts/new|assignments/new|import|copy)(/.*)?)$"
)
MIN_AUTHENTICATED_PAGES = 20


def log(message: str) -> None:
    print(f"[scan {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(name: str, command: list[str], timeout: int) -> tuple[int | None, str]:
    """Run a scanner with a hard time limit; its output goes to OUT/<name>.log."""
    log_path = OUT / f"{name}.log"
    started = time.monotonic()
    with log_path.open("w") as out:
        try:
            code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=timeout, cwd=OUT).returncode
        except subprocess.TimeoutExpired:
            code = None
    log(f"{name}: {'timed out' if code is None else f'exit {code}'} after {time.monotonic() - started:.0f} s")
    return code, log_path.read_text(errors="replace")


# ---------------------------------------------------------------- bandit

def bandit() -> list[str]:
    code, output = run("bandit", [str(SCAN_BIN / "bandit"), "-r", str(PROJECT_ROOT / "coursesite"), "-ll"], 300)
    if code == 0:
        return []
    print(output, flush=True)
    return [f"bandit found medium or high severity issues (exit {code}); see {OUT / 'bandit.log'}"]


# ---------------------------------------------------------------- wapiti

def wapiti_command(server: LiveServer, name: str, *, login: bool, scan_time: int, attack_time: int) -> list[str]:
    base = server.url
    command = [
        str(SCAN_BIN / "wapiti"), "-u", f"{base}/", "--scope", "folder", "-m", WAPITI_MODULES,
        "-x", f"{base}/auth/logout", "-x", f"{base}/c/*/roster/*/remove",
        "--max-files-per-dir", "4", "--max-links-per-page", "60", "-d", "6",
        "--max-scan-time", str(scan_time), "--max-attack-time", str(attack_time), "--tasks", "8",
        "--endpoint", "http://127.0.0.1:9/",
        "--dns-endpoint", "localhost", "--no-bugreport", "--flush-session",
        "--store-session", str(OUT / f"{name}-session"), "--store-config", str(OUT / f"{name}-config"),
        "-f", "json", "-o", str(OUT / f"{name}.json"), "-dr", "1", "-v", "1",
    ]
    if login:
        command += ["--form-url", f"{base}/auth/login", "--form-user", INSTRUCTOR, "--form-password", DEMO_PASSWORD]
    return command


def wapiti_findings(report: dict) -> list[str]:
    problems, accepted = [], set()
    for category, findings in report.get("vulnerabilities", {}).items():
        for finding in findings:
            path = finding.get("path", "?")
            serious = category in ALWAYS_FAIL or int(finding.get("level", 0)) >= 2
            if (category, path) in ACCEPTED:
                accepted.add(f"accepted: {category} at {path}: {ACCEPTED[(category, path)]}")
            elif serious:
                problems.append(f"wapiti: {category} at {finding.get('method')} {path}: {finding.get('info')}")
    for line in sorted(accepted):
        log(line)
    for category, findings in report.get("anomalies", {}).items():
        for finding in findings:
            problems.append(f"wapiti anomaly: {category} at {finding.get('method')} {finding.get('path')}: "
                            f"{finding.get('info')}")
    return problems


def authenticated_pages(report: dict) -> set[str]:
    pages = set()
    for page in report.get("infos", {}).get("crawled_pages", []):
        request = page.get("request", {})
        status = page.get("response", {}).get("status_code", request.get("status_code"))
        path = urllib.parse.urlsplit(request.get("url", "")).path
        if request.get("method") == "GET" and status == 200 and AUTHENTICATED_PAGE.match(path):
            pages.add(path)
    return pages


def wapiti(server: LiveServer) -> list[str]:
    problems = []
    passes = [("wapiti-visitor", False, 150, 20), ("wapiti-instructor", True, 420, 60)]
    for name, login, scan_time, attack_time in passes:
        # wapiti finishes the module it is in before honouring --max-scan-time: the logged-in pass's last
        # module (methods, on ~700 URLs and forms) can run minutes past it on a slow machine.
        _, output = run(name, wapiti_command(server, name, login=login, scan_time=scan_time,
                                             attack_time=attack_time), timeout=scan_time + 300)
        launched = set(re.findall(r"Launching module (\w+)", output))
        missing = set(WAPITI_MODULES.split(",")) - launched
        if missing:
            problems.append(f"{name} never ran the modules {sorted(missing)} (out of scan time?)")
        cut = re.findall(r"Max attack time was reached for module (\w+)", output)
        if cut:
            log(f"{name}: the time bound of {attack_time} s stopped these modules before the end: {cut}")
        report_path = OUT / f"{name}.json"
        if not report_path.exists():
            problems.append(f"{name} wrote no report; see {OUT / (name + '.log')}")
            continue
        report = json.loads(report_path.read_text())
        crawled = report.get("infos", {}).get("crawled_pages_nbr", 0)
        log(f"{name}: crawled {crawled} URLs and forms")
        problems += wapiti_findings(report)
        if login:
            pages = authenticated_pages(report)
            log(f"{name}: logged in: {report['infos'].get('auth', {}).get('logged_in')}; "
                f"{len(pages)} pages only a logged-in person sees: {sorted(pages)}")
            if not report["infos"].get("auth", {}).get("logged_in"):
                problems.append(f"{name} did not log in")
            if len(pages) < MIN_AUTHENTICATED_PAGES:
                problems.append(f"{name} reached {len(pages)} authenticated pages, fewer than "
                                f"{MIN_AUTHENTICATED_PAGES}: the scan tested too little")
    return problems


# ---------------------------------------------------------------- sqlmap

def logged_in(base: str, email: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Log in through the form (with its CSRF token): an opener that carries the session, and the cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": DEMO_PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/auth/login", data=data, timeout=30)
    cookies = {c.name: c.value for c in jar}
    if "session" not in cookies:
        raise RuntimeError(f"could not log in as {email} for sqlmap")
    return opener, f"session={cookies['session']}"


def demo_join_code(base: str) -> str:
    """A real join code: boolean-blind tests need an original value that finds a row."""
    opener, _ = logged_in(base, INSTRUCTOR)
    page = opener.open(f"{base}/c/demo-101/settings", timeout=30).read().decode()
    return re.search(r'class="join-code">([^<]+)<', page).group(1).strip()


def sqlmap_targets(base: str) -> dict[str, dict]:
    """The places where a person's input reaches a query, by name."""
    slug, code = "demo-101", demo_join_code(base)
    return {
        "login": {"url": f"{base}/auth/login", "data": "email=student1%40example.edu&password=not-the-password",
                  "params": "email,password", "form": f"{base}/auth/login"},
        "signup-join-code": {
            "url": f"{base}/auth/signup",
            "data": "email=student2%40example.edu&display_name=New&password=long+enough+pw"
                    f"&confirm=long+enough+pw&join_code={code}",
            "params": "email,join_code", "form": f"{base}/auth/signup"},
        "password-reset": {"url": f"{base}/auth/reset", "data": "email=a%40example.org", "params": "email",
                           "form": f"{base}/auth/reset"},
        "join": {"url": f"{base}/join", "data": f"code={code}", "params": "code", "form": f"{base}/join",
                 "person": STUDENT},
        "course-slug": {"url": f"{base}/c/{slug}*/", "params": None},
        "blog-page": {"url": f"{base}/c/{slug}/?page=2", "params": "page"},
        "course-settings": {
            "url": f"{base}/c/{slug}/settings",
            "data": "title=Writing+About+History&term=Fall+2026&slug=demo-101&timezone=America%2FNew_York"
                    "&visibility=public&description=About&comment_moderation=off&comment_edit_minutes=15",
            "params": "slug,timezone", "form": f"{base}/c/{slug}/settings", "person": INSTRUCTOR},
    }


def sqlmap(server: LiveServer, only: set[str] | None = None) -> list[str]:
    problems = []
    cookies: dict[str, str] = {}
    for name, target in sqlmap_targets(server.url).items():
        if only and name not in only:
            continue
        command = [str(SCAN_BIN / "sqlmap"), "-u", target["url"], "--dbms=sqlite", "--level", "3", "--risk", "2",
                   "--batch", "--flush-session", "--disable-coloring", "--time-sec", "2",
                   "--output-dir", str(OUT / "sqlmap")]
        if target.get("params"):
            command += ["-p", target["params"]]
        if "data" in target:
            command += ["--data", target["data"] + "&csrf_token=x", "--csrf-token", "csrf_token",
                        "--csrf-url", target["form"]]
        if target.get("person"):
            if target["person"] not in cookies:
                cookies[target["person"]] = logged_in(server.url, target["person"])[1]
            command += ["--cookie", cookies[target["person"]]]
        code, output = run(f"sqlmap-{name}", command, timeout=420)
        if "identified the following injection point" in output:
            problems.append(f"sqlmap: injectable query behind target {name!r}; see {OUT / f'sqlmap-{name}.log'}")
        elif code is None or not re.search(r"do(es)? not (seem|appear) to be injectable", output):
            problems.append(f"sqlmap: target {name!r} was not tested to the end; see {OUT / f'sqlmap-{name}.log'}")
    return problems


# ---------------------------------------------------------------- bounds

SLUG = "demo-101"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _status(opener: urllib.request.OpenerDirector, url: str, data: dict | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _token(opener: urllib.request.OpenerDirector, url: str) -> str:
    found = TOKEN.search(opener.open(url, timeout=30).read().decode())
    return found.group(1) or found.group(2)


def _unopened_assignment_ids(opener: urllib.request.OpenerDirector, base: str) -> list[str]:
    """The instructor's assignments page says "Opens ..." beside each assignment that has not opened."""
    page = opener.open(f"{base}/c/{SLUG}/assignments/", timeout=30).read().decode()
    return [found for found, rest in re.findall(r'/assignments/(\d+)">.*?</h2>(.*?)</li>', page, re.S)
            if "Opens <time" in rest]


def bounds(base: str) -> list[str]:
    """Numbers no row or page has and dates past any course, as a visitor and as the instructor: never a 500.
    And an assignment that has not opened shows nothing of itself to a visitor."""
    problems = []
    visitor = urllib.request.build_opener()
    instructor, _ = logged_in(base, INSTRUCTOR)
    gets = [f"/c/{SLUG}/?page={{n}}", f"/c/{SLUG}/search?q=war&page={{n}}", f"/c/{SLUG}/author/{{n}}/",
            f"/c/{SLUG}/assignment/{{n}}/", f"/c/{SLUG}/assignment/{{n}}/feed.atom",
            f"/c/{SLUG}/posts/new?assignment={{n}}", f"/c/{SLUG}/dashboard/?section={{n}}&page={{n}}"]
    for who, opener in (("visitor", visitor), ("instructor", instructor)):
        for path in gets:
            for number in NUMBER_PAYLOADS:
                url = base + path.format(n=urllib.parse.quote(number))
                if _status(opener, url) >= 500:
                    problems.append(f"bounds: 500 for GET {url} as {who}")
    token = _token(instructor, f"{base}/c/{SLUG}/assignments/new")
    for number in NUMBER_PAYLOADS:
        if _status(instructor, f"{base}/notifications", {"notification_id": number, "csrf_token": token}) >= 500:
            problems.append(f"bounds: 500 for notification_id={number!r}")
    for date in DATE_PAYLOADS:
        form = {"title": "Bounds", "post_due_at": date, "late_policy": "accept", "peer_mode": "open",
                "peer_scope": "course", "csrf_token": token}
        if _status(instructor, f"{base}/c/{SLUG}/assignments/new", form) >= 500:
            problems.append(f"bounds: 500 for an assignment due {date}")
    unopened = _unopened_assignment_ids(instructor, base)
    if not unopened:
        problems.append("bounds: the demo has no assignment that has not opened; nothing to check")
    for assignment_id in unopened:
        for path in (f"/c/{SLUG}/assignment/{assignment_id}/", f"/c/{SLUG}/assignment/{assignment_id}/feed.atom"):
            if _status(visitor, base + path) != 404:
                problems.append(f"bounds: a visitor reads {path} before the assignment opens")
    log(f"bounds: {len(problems)} problem(s); unopened assignments checked: {unopened}")
    return problems


# ---------------------------------------------------------------- resources

def resources() -> list[str]:
    """Hostile images and a preview flood, on a server with its rate limits on (as in production)."""
    server = LiveServer(log=OUT / "server-resources.log").start()
    try:
        opener, _ = logged_in(server.url, STUDENT)
        problems = hostile_images(server, opener)
        log(f"resources: {len(HOSTILE_IMAGES)} hostile images sent")
        return problems + preview_flood(server, opener)
    finally:
        server.stop()
        server.remove_instance()


def main() -> int:
    parser = argparse.ArgumentParser(description="Scan a throwaway Coursesite with wapiti, sqlmap and bandit.")
    parser.add_argument("--only", default="bandit,wapiti,sqlmap,bounds,resources",
                        help="comma-separated: bandit,wapiti,sqlmap,bounds,resources")
    parser.add_argument("--sqlmap-targets", default="", help="comma-separated target names (default: all)")
    args = parser.parse_args()
    stages = set(args.only.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    for tool in ("bandit", "wapiti", "sqlmap"):
        if tool in stages and not (SCAN_BIN / tool).exists():
            log(f"{SCAN_BIN / tool} is missing: make scan installs it into .venv-scan")
            return 2
    problems = bandit() if "bandit" in stages else []
    if stages & {"wapiti", "sqlmap", "bounds"}:
        # No rate limits: a locked-out login would hide an injection behind uniform 429 answers.
        server = LiveServer(log=OUT / "server.log", env={"COURSESITE_RATELIMIT_ENABLED": "0"}).start()
        log(f"serving {server.url} from {server.instance}")
        try:
            if "bounds" in stages:
                problems += bounds(server.url)
            # sqlmap before wapiti: wapiti submits every form it finds as the instructor (it may rename the
            # course or hide its essays), and sqlmap's targets are addresses of the demo as it was loaded.
            if "sqlmap" in stages:
                problems += sqlmap(server, set(filter(None, args.sqlmap_targets.split(","))) or None)
            if "wapiti" in stages:
                problems += wapiti(server)
        finally:
            server.stop()
            server.remove_instance()
    if "resources" in stages:
        problems += resources()
    for problem in problems:
        log(f"FAIL {problem}")
    log(f"{len(problems)} problem(s); reports in {OUT}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
