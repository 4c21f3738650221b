"""`invoke livereload` in Chromium: a rebuild that fails shows its error lines in the page, and the fix brings
the site back, without touching the reload button."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from playwright.sync_api import expect
from servers.smtp import free_port

from conftest import ROOT


def start_livereload(settings, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--settings", str(settings), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line or "Start detecting changes" in line:
            return process
    return process


def test_a_failed_rebuild_shows_its_errors_in_the_page_until_the_next_good_build(site, chromium, tmp_path):
    site.post("wind", Title="Kessler Ridge opens")
    settings = site.settings_file("pelicanconf.py", CACHE_PATH=str(tmp_path / "cache"))
    port = free_port()
    process = start_livereload(settings, port)
    page = chromium.new_page()
    try:
        page.goto(f"http://localhost:{port}/")
        expect(page.locator("h1")).to_have_text("Larkspur Energy Newsroom")

        site.post("wind", Title="Kessler Ridge opens", Audience="investor")  # a typo in the audience
        error = page.locator("#build-error")
        expect(error).to_contain_text("unknown audience 'investor'", timeout=60_000)
        expect(page.locator("h1")).to_have_text("The last build failed")

        site.post("wind", Title="Kessler Ridge opens", Audience="investors")  # fixed
        expect(page.locator("h1")).to_have_text("Larkspur Energy Newsroom", timeout=60_000)
        expect(page.get_by_role("link", name="Kessler Ridge opens").first).to_be_visible()
    finally:
        page.close()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
