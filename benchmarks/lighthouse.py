"""Lighthouse (mobile) for the login page, worker Today and the citizen's plan.

The npm `lighthouse` package (installed into benchmarks/node_modules on first use:
`npm install --prefix benchmarks lighthouse`) drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox --disable-gpu) with its default mobile
emulation and simulated throttling (Moto G Power class phone, slow 4G). Logged-in pages get the
session cookie through --extra-headers. Categories: performance, accessibility, best-practices.

Installability: Lighthouse 12 dropped the PWA category and the `installable-manifest` audit; when
the audit is absent, Chromium's own verdict is used (CDP Page.getInstallabilityErrors in a
persistent Playwright profile after the service worker is ready; [] means installable).
"""
import json
import os
import shutil
import subprocess
import tempfile

from benchmarks.latency import login_staff, mint_citizen_cookie

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGES = [("login", "/login", None), ("today", "/today", "worker"), ("my_plan", "/me/plan", "citizen")]


def lighthouse_bin() -> str:
    path = os.path.join(HERE, "node_modules", ".bin", "lighthouse")
    if not os.path.exists(path):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", HERE, "lighthouse"], check=True)
    return path


def cookies_for(base: str, users: dict, app) -> dict:
    name = app.config["SESSION_COOKIE_NAME"]
    worker = users["workers"][0]
    s = login_staff(base, worker["username"], users["password"], name)
    citizen = users["citizens"][0]
    return {"worker": f"{name}={s.cookies[name]}", "citizen": mint_citizen_cookie(app, citizen["id"])}


def run_one(base: str, path: str, cookie: str | None) -> dict:
    out_dir = tempfile.mkdtemp(prefix="ledsager-lh-")
    report = os.path.join(out_dir, "report.json")
    cmd = [lighthouse_bin(), base + path, "--output=json", f"--output-path={report}", "--quiet",
           "--only-categories=performance,accessibility,best-practices",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    try:
        with open(report, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {"error": (proc.stderr or proc.stdout)[-1000:]}
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    if data.get("finalDisplayedUrl", "").split("?")[0].rstrip("/") != (base + path).rstrip("/"):
        return {"error": f"ended on {data.get('finalDisplayedUrl')} (not logged in?)"}
    cats = data["categories"]
    if data.get("runtimeError") or any(cats[k]["score"] is None for k in cats):
        # A failed run (e.g. NO_FCP on a loaded machine) scores null: an error, never a 0.
        problem = (data.get("runtimeError") or {}).get("code") or "a category without a score"
        return {"error": f"lighthouse run failed: {problem}"}

    def score(key):
        return round((cats[key]["score"] or 0) * 100)
    result = {"performance": score("performance"), "accessibility": score("accessibility"),
              "best_practices": score("best-practices"), "lighthouse": data.get("lighthouseVersion"),
              "form_factor": data.get("configSettings", {}).get("formFactor"),
              "throttling": data.get("configSettings", {}).get("throttlingMethod")}
    audits = data["audits"]
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index"):
        if key in audits:
            result[key] = audits[key].get("displayValue")
    failing = [k for k, a in audits.items() if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
    result["failing_audits"] = sorted(failing)
    if "installable-manifest" in audits:
        result["installable"] = audits["installable-manifest"]["score"] == 1
        result["installability_method"] = "lighthouse installable-manifest audit"
    return result


def chromium_installability(base: str, path: str, cookie: str | None) -> list[str]:
    from playwright.sync_api import sync_playwright

    from benchmarks.bytes import CHROMIUM_ARGS, installability_errors

    profile = tempfile.mkdtemp(prefix="ledsager-inst-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                           headless=True, base_url=base)
            if cookie:
                name, value = cookie.split("=", 1)
                context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.goto(path, wait_until="networkidle")
            page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : false")
            errors = installability_errors(context, page)
            context.close()
            return errors
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def measure(base: str, users: dict, app, log=print) -> dict:
    cookies = cookies_for(base, users, app)
    out = {}
    for name, path, role in PAGES:
        cookie = cookies.get(role) if role else None
        r = run_one(base, path, cookie)
        if "error" in r:  # one retry: a shared machine sometimes stalls Chromium past Lighthouse's timeouts
            log(f"  lighthouse {path}: {r['error'][:200]}; retrying once")
            r = run_one(base, path, cookie)
        if "error" not in r and "installable" not in r:
            errors = chromium_installability(base, path, cookie)
            r["installable"] = not errors
            r["installability_errors"] = errors
            r["installability_method"] = "Chromium Page.getInstallabilityErrors (CDP)"
        out[name] = r
        if "error" in r:
            log(f"  lighthouse {path}: error {r['error'][:200]}")
        else:
            log(f"  lighthouse {path}: performance {r['performance']}, accessibility {r['accessibility']}, "
                f"best practices {r['best_practices']}, installable {r['installable']}; failing: "
                f"{', '.join(r['failing_audits']) or '-'}")
    return out
