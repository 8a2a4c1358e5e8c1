"""End-to-end test of the intake page in headless Chromium (Debian's chromium package, driven by Playwright)."""

import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi")
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server_url():
    import uvicorn

    from petition_nlp.repeats import RepeatIndex
    from petition_nlp.repeats.linkage import PersonLinkage, prior_model
    from petition_nlp.routing import Router
    from petition_nlp.service import create_app

    linkage = PersonLinkage()
    linkage.model_json_ = prior_model()
    index = RepeatIndex(linkage.parameters())
    index.add({"id": "XF-2024-001", "name": "王建国", "phone": "13912345678", "received_at": "2024-03-01",
               "text": "邻居王某把我打成轻伤二级，派出所不给立案，要求立案追究刑事责任。", "domain": "personal_injury"})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Router(index=index)), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        yield page
        browser.close()


def test_clerk_routes_a_petition(page, server_url, tmp_path):
    page.goto(server_url + "/")
    page.fill("#text", "法院判决生效两年了，(2022)湘0521执1234号，被执行人一分钱没给，执行局说没有财产可供执行。")
    page.click("#submit")
    page.wait_for_selector("#department", timeout=15000)
    assert "执行局" in page.inner_text("#department")
    assert "督促执行" in page.inner_text("#route")
    assert page.inner_text("[data-head=domain]") == "法院执行"
    assert page.locator("#highlighted mark").count() >= 1
    page.screenshot(path=str(tmp_path / "intake.png"), full_page=True)
    import os, shutil as sh
    if os.environ.get("INTAKE_SCREENSHOT"):
        sh.copy(tmp_path / "intake.png", os.environ["INTAKE_SCREENSHOT"])


def test_clerk_sees_earlier_petitions(page, server_url):
    page.goto(server_url + "/")
    page.fill("#text", "又来反映：邻居王某把我打成轻伤二级，派出所还是不给立案。")
    page.fill("#name", "王建国")
    page.fill("#phone", "139-1234-5678")
    page.click("#submit")
    page.wait_for_selector("#prior", timeout=15000)
    assert "XF-2024-001" in page.inner_text("#prior")
    assert "重复信访" in page.inner_text("#result")


def test_clerk_gets_a_readable_error(page, server_url):
    page.goto(server_url + "/")
    page.fill("#text", "   ")
    page.evaluate("document.getElementById('text').removeAttribute('required')")
    page.click("#submit")
    page.wait_for_selector("#error", timeout=15000)
    assert "empty" in page.inner_text("#error")
