"""`make gate-selftest`: plant one fault per gate in a throwaway copy of the repo; each gate must fail on it.

First every gate runs on a clean copy and must pass (so a later failure is the fault's doing); then, for
each fault, a fresh copy gets the fault and the gates aimed at it must fail, with output naming the fault.

| fault                               | gates that must catch it                                      |
|-------------------------------------|---------------------------------------------------------------|
| roster without its role check       | authorization matrix (tests/functional/security/test_authorization.py) |
| course title rendered with |safe    | XSS payload tests (tests/**/test_xss*.py); browser test       |
| an image without alt on login page  | axe-core in the browser; vnu HTML check                       |
| a button POST exempted from CSRF    | tests/functional/security/test_csrf.py                                 |
| course looked up by raw SQL on slug | bandit -ll; sqlmap against the course address                 |
| page number read with a bare int()  | hostile numbers test; the scan's bounds stage                 |
| archive shown before it opens       | unopened assignment tests; the scan's bounds stage            |
| an animation kept whatever its size | upload memory test; the scan's hostile images                 |
| the editor's preview not limited    | rate-limit tests; the scan's preview flood                    |
| an import finds any account by email | identity attacks (imports, roster invitations, pseudonyms)   |
| a pseudonym compared as typed       | identity attacks                                              |

A gate whose test file is not in the tree yet is reported PENDING and runs as soon as the file exists.
Output of every run: ci-artifacts/gate-selftest/<fault>/<gate>.log, and its screenshots or reports in
ci-artifacts/gate-selftest/<fault>/<gate>-files/
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(os.environ.get("COURSESITE_PYTHON", ROOT / ".venv" / "bin" / "python"))
OUT = Path(os.environ.get("COURSESITE_SELFTEST_ARTIFACTS", ROOT / "ci-artifacts" / "gate-selftest"))
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", ".venv-scan", "node_modules", "ci-artifacts", "instance",
                                    "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info")


@dataclass
class Gate:
    name: str
    command: list[str]
    catches: str  # a regex the gate's output must contain when it fails for the planted fault
    needs: list[str] = field(default_factory=list)  # glob patterns of test files the gate runs

    def files(self, tree: Path) -> list[str] | None:
        found = []
        for pattern in self.needs:
            matches = sorted(glob.glob(pattern, root_dir=tree, recursive=True))
            if not matches:
                return None
            found += matches
        return found


@dataclass
class Fault:
    name: str
    file: str
    old: str
    new: str
    gates: list[Gate]


def pytest(*args: str) -> list[str]:
    return [str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *args]


E2E = ["--output", "{out}/playwright", "--screenshot", "only-on-failure"]
AUTHZ = Gate("authorization matrix", pytest("{files}"), r"roster", ["tests/functional/security/test_authorization.py"])
XSS_IN_PROCESS = Gate("XSS payload tests", pytest("{files}"), r"(?i)xss|payload|script", ["tests/**/test_xss*.py"])
XSS_BROWSER = Gate("browser dialog/markup test",
                   pytest("tests/e2e/test_hostile_input.py", "-k", "payload0", *E2E),
                   r"hostile input became markup|Content-Security-Policy violation|dialog opened")
AXE = Gate("axe-core", pytest("tests/e2e/test_accessibility.py", "-k", "axe and login-desktop", *E2E), r"image-alt")
VNU = Gate("vnu HTML check", pytest("tests/e2e/test_html_validity.py", *E2E), r"(?i)alt")
CSRF = Gate("CSRF test", pytest("tests/functional/security/test_csrf.py"), r"without a token changed the database")
BANDIT = Gate("bandit", [str(PYTHON), "-m", "tests.scan.run_scan", "--only", "bandit"], r"B608")
SQLMAP = Gate("sqlmap",
              [str(PYTHON), "-m", "tests.scan.run_scan", "--only", "sqlmap", "--sqlmap-targets", "course-slug"],
              r"injectable query behind target 'course-slug'")
NUMBERS = Gate("hostile numbers test", pytest("{files}", "-k", "page_number"), r"OverflowError",
                ["tests/functional/security/test_hostile_numbers.py"])
UNOPENED = Gate("unopened assignment tests", pytest("{files}"), r"before_it_opens",
                ["tests/functional/courses/test_unopened_assignments.py"])
BOUNDS = Gate("scan bounds stage", [str(PYTHON), "-m", "tests.scan.run_scan", "--only", "bounds"], r"bounds: ")
UPLOAD_MEMORY = Gate("upload memory test", pytest("tests/functional/posts/test_upload_memory.py", "-k", "gif-40"),
                     r"peak_mb")
RATE_LIMITS = Gate("rate-limit tests", pytest("tests/functional/security/test_rate_limits.py", "-k", "preview"), r"429")
SCAN_RESOURCES = Gate("scan: hostile images and preview flood",
                      [str(PYTHON), "-m", "tests.scan.run_scan", "--only", "resources"],
                      r"reached \d+ MB|never rate limited")
IDENTITY = Gate("identity attacks", pytest("{files}"), r"outside_the_course|cannot_take_another_members_name",
                ["tests/functional/wordpress/test_wxr_identity.py",
                 "tests/functional/courses/test_roster_invitations.py",
                 "tests/functional/accounts/test_pseudonyms.py"])

FAULTS = [
    Fault("missing-role-check", "coursesite/courses/views.py",
          '@course_view(can_manage_roster)\ndef roster(', '@course_view()\ndef roster(', [AUTHZ]),
    Fault("unescaped-field", "templates/base.html",
          '{{ course.title }}</a>', '{{ course.title|safe }}</a>', [XSS_IN_PROCESS, XSS_BROWSER]),
    Fault("image-without-alt", "templates/auth/login.html",
          "<h1>Log in</h1>\n", '<h1>Log in</h1>\n<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">\n',
          [AXE, VNU]),
    Fault("post-without-csrf", "coursesite/courses/views.py",
          "@course_view(can_manage_roster)\ndef new_join_code(",
          "@course_view(can_manage_roster)\n@form_checks_csrf\ndef new_join_code(", [CSRF]),
    Fault("injectable-query", "coursesite/permissions.py",
          '    course = db.session.scalar(_course_by_slug(), {"slug": slug})\n',
          "    from sqlalchemy import text\n\n"
          "    row = db.session.execute(text(f\"SELECT slug FROM courses WHERE slug = '{slug}'\")).first()\n"
          '    course = db.session.scalar(_course_by_slug(), {"slug": row[0]}) if row else None\n',
          [BANDIT, SQLMAP]),
    Fault("unbounded-page-number", "coursesite/posts/reading.py",
          "page=page_number(), per_page", 'page=int(request.args.get("page") or 1), per_page', [NUMBERS, BOUNDS]),
    Fault("archive-before-opening", "coursesite/posts/reading.py",
          "    if assignment is None or not can_see_assignment(current_user, assignment):\n        abort(404)\n"
          "    return _listing(",
          "    if assignment is None:\n        abort(404)\n    return _listing(", [UNOPENED, BOUNDS]),
    Fault("animation-without-budget", "coursesite/files/images.py",
          "        return 1\n    return frames\n", "        pass\n    return frames\n",
          [UPLOAD_MEMORY, SCAN_RESOURCES]),
    Fault("preview-without-rate-limit", "coursesite/posts/writing.py",
          '@limiter.limit(lambda: current_app.config["PREVIEW_RATE_LIMIT"], key_func=person_or_address)\n'
          '@limiter.limit(lambda: current_app.config["PREVIEW_ADDRESS_RATE_LIMIT"])\n', "",
          [RATE_LIMITS, SCAN_RESOURCES]),
    Fault("import-borrows-accounts", "coursesite/wordpress/people.py",
          "user = self._members.get(who.email) if who.email else None",
          "user = accounts.find_user(who.email) if who.email else None", [IDENTITY]),
    Fault("pseudonym-compared-as-typed", "coursesite/people/pseudonyms.py",
          "staff = names_in_course(course, except_user_id=user_id).get(name_key(name))",
          "staff = names_in_course(course, except_user_id=user_id).get(name)", [IDENTITY]),
]


def copy_tree(label: str) -> Path:
    tree = Path(tempfile.mkdtemp(prefix=f"coursesite-selftest-{label}-"))
    shutil.copytree(ROOT, tree, ignore=NOT_COPIED, dirs_exist_ok=True)
    return tree


class CannotPlant(Exception):
    def __init__(self, fault: Fault):
        super().__init__(f"cannot plant {fault.name}: {fault.file} no longer contains the line it replaces; "
                         "update tests/gates/selftest.py")


def planted(text: str, fault: Fault) -> str:
    """`text` with the fault in it, or CannotPlant when the code it replaces has changed."""
    # An indented line must match whole: a shallower copy of it matches inside a deeper one.
    whole = not fault.old[0].isspace() or text.startswith(fault.old) or f"\n{fault.old}" in text
    if text.count(fault.old) != 1 or not whole:
        raise CannotPlant(fault)
    return text.replace(fault.old, fault.new)


def plant(tree: Path, fault: Fault) -> None:
    path = tree / fault.file
    path.write_text(planted(path.read_text(), fault))


def run_gate(gate: Gate, tree: Path, out: Path) -> tuple[str, int | None, str]:
    """('pending' | 'ran', exit code, output) for the gate run inside `tree`."""
    files = gate.files(tree)
    if files is None:
        return "pending", None, ""
    slug = re.sub(r"\W+", "-", gate.name).strip("-")
    files_out = out / f"{slug}-files"  # screenshots, traces, scanner reports of this gate's run
    files_out.mkdir(parents=True, exist_ok=True)
    command = []
    for part in gate.command:
        command += files if part == "{files}" else [part.replace("{out}", str(files_out))]
    env = {**os.environ, "PYTHONPATH": str(tree), "COURSESITE_NODE_MODULES": str(ROOT / "tests/e2e/node_modules"),
           "COURSESITE_SCAN_BIN": str(ROOT / ".venv-scan/bin"), "COURSESITE_E2E_ARTIFACTS": str(files_out),
           "COURSESITE_SCAN_ARTIFACTS": str(files_out)}
    env.pop("COURSESITE_TEST_DATABASE_URL", None)
    started = time.monotonic()
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=900,
                            stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    log_name = f"{slug}.log"
    (out / log_name).write_text(output)
    print(f"    {gate.name}: exit {result.returncode} in {time.monotonic() - started:.0f} s "
          f"(log: {out / log_name})", flush=True)
    return "ran", result.returncode, output


def baseline(gates: list[Gate]) -> list[str]:
    print("clean copy: every gate must pass", flush=True)
    tree = copy_tree("clean")
    problems = []
    try:
        for gate in gates:
            state, code, _ = run_gate(gate, tree, OUT / "clean")
            if state == "ran" and code != 0:
                problems.append(f"{gate.name} fails on the clean tree; a planted fault proves nothing")
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return problems


def check_fault(fault: Fault) -> tuple[list[str], list[str], list[str]]:
    """(caught, missed, pending) gate descriptions for one planted fault."""
    caught, missed, pending = [], [], []
    print(f"fault {fault.name}: {fault.file}", flush=True)
    tree = copy_tree(fault.name)
    try:
        plant(tree, fault)
        for gate in fault.gates:
            state, code, output = run_gate(gate, tree, OUT / fault.name)
            label = f"{fault.name} -> {gate.name}"
            if state == "pending":
                pending.append(f"{label} (needs {', '.join(gate.needs)})")
            elif code != 0 and re.search(gate.catches, output):
                caught.append(label)
            elif code != 0:
                missed.append(f"{label}: failed, but its output does not mention /{gate.catches}/")
            else:
                missed.append(f"{label}: passed with the fault in place")
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return caught, missed, pending


def main() -> int:
    if not PYTHON.exists():
        print(f"{PYTHON} is missing: run make test and make e2e first", file=sys.stderr)
        return 2
    shutil.rmtree(OUT, ignore_errors=True)
    only = set(filter(None, os.environ.get("GATE_SELFTEST_ONLY", "").split(",")))
    faults = [f for f in FAULTS if not only or f.name in only]
    for fault in faults:  # before the baseline's minutes, so a stale fault fails at once
        try:
            planted((ROOT / fault.file).read_text(), fault)
        except CannotPlant as stale:
            print(stale, file=sys.stderr)
            return 1
    gates = list({id(g): g for f in faults for g in f.gates}.values())
    problems = baseline(gates)
    caught, pending = [], []
    for fault in faults:
        fault_caught, fault_missed, fault_pending = check_fault(fault)
        caught += fault_caught
        problems += fault_missed
        pending += fault_pending
    print("\n=== gate self-test")
    for line in caught:
        print(f"CAUGHT   {line}")
    for line in pending:
        print(f"PENDING  {line}")
    for line in problems:
        print(f"FAILED   {line}")
    print(f"{len(caught)} caught, {len(problems)} failed, {len(pending)} pending; logs in {OUT}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
