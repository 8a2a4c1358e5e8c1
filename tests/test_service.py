
import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from petition_nlp.repeats import RepeatIndex  # noqa: E402
from petition_nlp.routing import Router, RoutingError, RoutingTable  # noqa: E402
from petition_nlp.service import ServiceSettings, create_app  # noqa: E402

TRAFFIC = "我父亲骑电动车在县道被一辆货车撞倒，司机跑了，交警到现在也没出事故认定书，请领导督促交警尽快破案。"


@pytest.fixture(scope="module")
def router():
    return Router()


@pytest.fixture(scope="module")
def client(router):
    return TestClient(create_app(router))


def test_route_one_petition(client):
    response = client.post("/v1/route", json={"text": TRAFFIC})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["labels"]["domain"]["label"] == "traffic_accident"
    assert body["labels"]["litigation"]["label"] == "litigation"
    assert body["department"]["id"] == "traffic_police"
    assert body["route"]["id"] == "litigation_guidance"
    assert any("rule:" in r for r in body["reasons"])
    assert "交警" in body["explanation"]["domain"]


def test_highlights_point_at_the_words_as_written(client):
    traditional = "我父親騎電動車被貨車撞倒，司機逃逸，交警兩個月了還不出事故認定書。"
    body = client.post("/v1/route", json={"text": traditional}).json()
    words = {w for ws in body["explanation"].values() for w in ws}
    assert body["highlights"], body
    for start, end in body["highlights"]:
        # each span is an explanation word, written in traditional characters in the petition
        assert traditional[start:end] != "" and any(len(w) == end - start for w in words)
    assert any(traditional[s:e] in ("交警", "貨車", "認定書", "逃逸", "事故認定書") for s, e in body["highlights"])


def test_ordinary_petition_goes_to_administrative_department(client):
    body = client.post("/v1/route", json={"text": "小区物业费从每月1.2元涨到2.5元，没有开业主大会，要求住建局查一查。"}).json()
    assert body["labels"]["litigation"]["label"] == "ordinary"
    assert body["route"]["id"] == "transfer"


def test_batch_keeps_order_and_limits_size(client):
    items = [{"text": TRAFFIC}, {"text": "法院判决生效两年，执行局一分钱没执行到，被执行人还在开豪车。"}]
    body = client.post("/v1/route:batch", json={"items": items}).json()
    assert [r["department"]["id"] for r in body["results"]] == ["traffic_police", "court_enforcement_bureau"]
    too_many = client.post("/v1/route:batch", json={"items": [{"text": "测试"}] * 1001})
    assert too_many.status_code == 422


@pytest.mark.parametrize("payload", [
    {}, {"text": ""}, {"text": "   "}, {"text": 5}, {"text": "ok", "unknown": 1}, {"text": "a" * 20001},
    {"text": "ok", "petitioner": {"name": 3}}, [], "not json",
    {"text": "ok", "register": "yes"}, {"text": "ok", "add_to_index": True, "id": "X1"}, {"text": "ok", "id": " "},
    {"text": "ok", "received_at": "2024-01-05T25:00"}, {"text": "ok", "received_at": "2024-01-05 garbage words"},
])
def test_bad_input_gets_4xx_with_a_message(client, payload):
    if payload == "not json":
        response = client.post("/v1/route", content=b"{not json", headers={"content-type": "application/json"})
        assert response.status_code == 400 and "not valid JSON" in response.json()["detail"]  # as /docs says
    else:
        response = client.post("/v1/route", json=payload)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_register_and_its_field_name_are_strict(client):
    # "yes" is no boolean, and the field's Python name is no second way to send it: both are invalid fields (422),
    # not a registration refused for want of an index (400)
    for payload in ({"text": "ok", "register": "yes"}, {"text": "ok", "add_to_index": True, "id": "X1"}):
        assert client.post("/v1/route", json=payload).status_code == 422


def test_odd_text_is_routed_not_crashed(client):
    for text in ["\u0000\u0000法院", "😡😡😡", "Hello", "法院\ud800执行".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]:
        assert client.post("/v1/route", json={"text": text}).status_code == 200


def test_body_size_limit_and_api_key(router):
    guarded = TestClient(create_app(router, ServiceSettings(api_key="s3cret", max_body_bytes=2000)))
    assert guarded.post("/v1/route", json={"text": TRAFFIC}).status_code == 401
    assert guarded.post("/v1/route", json={"text": TRAFFIC}, headers={"X-API-Key": "wrong"}).status_code == 401
    assert guarded.post("/v1/route", json={"text": TRAFFIC}, headers={"X-API-Key": "s3cret"}).status_code == 200
    big = guarded.post("/v1/route", json={"text": "法" * 3000}, headers={"X-API-Key": "s3cret"})
    assert big.status_code == 413
    chunks = (piece.encode() for piece in ['{"text": "', "法" * 3000, '"}'])  # chunked: no Content-Length
    chunked = guarded.post("/v1/route", content=chunks, headers={"X-API-Key": "s3cret", "content-type": "application/json"})
    assert chunked.status_code == 413 and "over 2000 bytes" in chunked.json()["detail"]
    small = (piece.encode() for piece in ['{"text": "', TRAFFIC, '"}'])
    assert guarded.post("/v1/route", content=small, headers={"X-API-Key": "s3cret", "content-type": "application/json"}) \
        .status_code == 200
    assert guarded.get("/healthz").json()["status"] == "ok"
    with pytest.raises(ValueError, match="printable ASCII"):
        ServiceSettings(api_key="密钥")  # no HTTP client could send it


def test_openapi_and_intake_page(client):
    spec = client.get("/openapi.json").json()
    assert {"/v1/route", "/v1/route:batch", "/healthz"} <= set(spec["paths"])
    page = client.get("/")
    assert page.status_code == 200 and "信访内容" in page.text
    assert client.head("/").status_code == 200  # uptime monitors check with HEAD
    # error answers are documented as they are sent: one message, or one line per invalid field
    responses = spec["paths"]["/v1/route"]["post"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    # the docs work on an intranet: Swagger UI comes from the service itself, not from a CDN
    import re

    docs = client.get("/docs").text
    assert not re.findall(r"https?://", docs)
    script = re.search(r'src="([^"]+\.js)"', docs).group(1)
    assert client.get(script).status_code == 200


def test_logs_never_show_personal_data(client, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="petition_nlp.service"):
        client.post("/v1/route", json={"text": "我叫张桂兰，电话13812345678，身份证430521197803122118，邻居打我派出所不管"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "routed petition" in logged
    for secret in ("13812345678", "430521197803122118", "张桂兰"):
        assert secret not in logged
    # the petitioner's own name is masked where it stands without a cue, given with the request
    with caplog.at_level(logging.INFO, logger="petition_nlp.service"):
        client.post("/v1/route", json={"text": "王玮又来反映，邻居家的狗咬伤了王玮的孙子", "petitioner": {"name": "王玮"}})
    assert "王玮" not in "\n".join(r.getMessage() for r in caplog.records)


def test_prior_petitions_from_the_repeat_index(tmp_path):
    from petition_nlp.repeats.linkage import prior_model
    from petition_nlp.repeats.linkage import PersonLinkage

    linkage = PersonLinkage()
    linkage.model_json_ = prior_model()
    index = RepeatIndex(linkage.parameters())
    index.add({"id": "A1", "name": "李秀英", "id_number": "430521197803122118", "phone": "13812345678",
               "received_at": "2024-01-05", "text": TRAFFIC, "domain": "traffic_accident"})
    client = TestClient(create_app(Router(index=index)))
    body = client.post("/v1/route", json={"text": "第二次反映：" + TRAFFIC, "id": "A2",
                                          "petitioner": {"name": "李秀瑛", "phone": "138-1234-5678"}, "register": True}).json()
    assert body["repeat"]["new_petitioner"] is False
    assert body["repeat"]["is_repeat"] is True and body["repeat"]["repeat_of"] == "A1"
    assert any("重复信访" in r for r in body["reasons"])
    assert len(index) == 2
    again = client.post("/v1/route", json={"text": TRAFFIC, "id": "A2", "petitioner": {"name": "李秀瑛"}, "register": True})
    assert again.status_code == 409 and "A2" in again.json()["detail"]
    bad_date = client.post("/v1/route", json={"text": TRAFFIC, "id": "A3", "received_at": "yesterday",
                                              "petitioner": {"name": "李秀瑛"}, "register": True})
    assert bad_date.status_code == 422 and "received_at" in bad_date.text and "2024/1/5" in bad_date.text
    assert len(index) == 2


def test_registrations_are_all_or_nothing_and_survive_a_restart(tmp_path):
    from petition_nlp.repeats.linkage import PersonLinkage, prior_model

    linkage = PersonLinkage()
    linkage.model_json_ = prior_model()
    index = RepeatIndex(linkage.parameters())
    index.add({"id": "A1", "name": "李秀英", "phone": "13812345678", "received_at": "2024/1/5", "text": TRAFFIC})
    saved = index.save(tmp_path / "index")
    client = TestClient(create_app(Router(index=RepeatIndex.load(saved)), ServiceSettings(index_path=str(saved))))
    items = [{"text": TRAFFIC, "id": "B1", "petitioner": {"name": "王建国"}, "register": True},
             {"text": TRAFFIC, "id": "A1", "petitioner": {"name": "李秀英"}, "register": True}]
    refused = client.post("/v1/route:batch", json={"items": items})
    assert refused.status_code == 409 and "nothing was registered" in refused.text
    assert client.get("/healthz").json()["repeat_index"] == 1
    # without petitioner fields a petition is still registered (and its id then taken)
    assert client.post("/v1/route", json={"text": TRAFFIC, "id": "C1", "register": True}).status_code == 200
    assert client.post("/v1/route", json={"text": TRAFFIC, "id": "C1", "register": True}).status_code == 409
    assert len(RepeatIndex.load(saved)) == 2  # saved where it was loaded from: a restart keeps it
    with pytest.raises(ValueError, match="received_at"):
        RepeatIndex.load(saved).add({"id": "D1", "name": "赵四", "received_at": "yesterday"})
    with pytest.raises(ValueError, match="repeat index"):
        Router().route(TRAFFIC, {"id": "E1"}, register=True)


def test_a_registration_that_cannot_be_saved_is_undone(tmp_path):
    from petition_nlp.repeats.linkage import PersonLinkage, prior_model

    linkage = PersonLinkage()
    linkage.model_json_ = prior_model()
    index = RepeatIndex(linkage.parameters())
    index.add({"id": "A1", "name": "李秀英", "phone": "13812345678", "text": TRAFFIC})
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")  # saving the index there fails
    client = TestClient(create_app(Router(index=index), ServiceSettings(index_path=str(blocked))))
    body = {"text": TRAFFIC, "id": "B1", "petitioner": {"name": "李秀英", "phone": "13812345678"}, "register": True}
    assert client.post("/v1/route", json=body).status_code == 503
    assert len(index) == 1 and "B1" not in index
    assert index.match({"name": "李秀英", "phone": "13812345678"}).prior_petitions[0].id == "A1"
    assert len(index.match({"name": "李秀英", "phone": "13812345678"}).prior_petitions) == 1


def test_a_second_service_on_the_same_index_folder_gets_503_not_500(tmp_path):
    from petition_nlp.repeats.linkage import PersonLinkage, prior_model

    linkage = PersonLinkage()
    linkage.model_json_ = prior_model()
    folder = tmp_path / "index"
    RepeatIndex(linkage.parameters()).save(folder)
    first, second = (TestClient(create_app(Router(index=RepeatIndex.load(folder)), ServiceSettings(index_path=str(folder))))
                     for _ in range(2))
    body = {"text": TRAFFIC, "petitioner": {"name": "李秀英", "phone": "13812345678"}, "register": True}
    assert first.post("/v1/route", json={**body, "id": "A1"}).status_code == 200
    refused = second.post("/v1/route", json={**body, "id": "B1"})
    assert refused.status_code == 503 and "another process" in refused.json()["detail"]
    assert "B1" not in RepeatIndex.load(folder)


def test_a_users_table_is_checked_against_the_users_model(tmp_path, small_train):
    from petition_nlp import train

    frame = small_train.head(150).assign(topic=lambda f: f["litigation"].map({"litigation": "legal", "ordinary": "admin"}))
    model = train(frame, ["topic"], progress=False)
    table = tmp_path / "topic.yaml"
    table.write_text(
        "routes: {transfer: {zh: 转送}}\n"
        "rules:\n"
        "  - {name: legal, when: {topic: [legal]}, department: {id: zfw, zh: 政法委}, route: transfer}\n"
        "  - {name: fallback, when: {}, department: {id: xfj, zh: 信访局}, route: transfer}\n", encoding="utf-8")
    router = Router(model, table)
    assert router.route("派出所对我被打的事一直不立案，我要求公安局依法立案侦查。").rule in ("legal", "fallback")
    table.write_text(table.read_text(encoding="utf-8").replace("[legal]", "[lawful]"), encoding="utf-8")
    with pytest.raises(RoutingError, match="unknown topic label 'lawful'"):
        Router(model, table)


def test_routing_table_validation_names_the_bad_entry(tmp_path):
    bad = tmp_path / "routing.yaml"
    bad.write_text(
        "routes: {transfer: {zh: 转送}}\n"
        "rules:\n"
        "  - {name: ok, when: {litigation: [ordinary]}, department: {id: a, zh: 甲}, route: transfer}\n"
        "  - {name: typo, when: {domain: [trafic_accident]}, department: {id: b, zh: 乙}, route: transfer}\n"
        "  - {name: fallback, when: {}, department: {id: c, zh: 丙}, route: transfer}\n", encoding="utf-8")
    with pytest.raises(RoutingError, match=r"rule 2 \('typo'\): unknown domain label 'trafic_accident'"):
        RoutingTable.load(bad)
    bad.write_text("routes: {transfer: {zh: 转送}}\nrules:\n  - {name: x, when: {}, department: {id: a, zh: 甲}, route: nowhere}\n",
                   encoding="utf-8")
    with pytest.raises(RoutingError, match="unknown route 'nowhere'"):
        RoutingTable.load(bad)
    assert RoutingTable.load().rules[-1].when == {}
    # a misspelt 'when' would make the rule route everything: refused, as is any fallback before the last rule
    bad.write_text("routes: {transfer: {zh: 转送}}\nrules:\n"
                   "  - {name: courts, When: {litigation: [litigation]}, department: {id: a, zh: 甲}, route: transfer}\n"
                   "  - {name: fallback, department: {id: c, zh: 丙}, route: transfer}\n", encoding="utf-8")
    with pytest.raises(RoutingError, match=r"rule 1 \('courts'\): unknown key\(s\) \['When'\]"):
        RoutingTable.load(bad)
    bad.write_text("routes: {transfer: {zh: 转送}}\nrules:\n"
                   "  - {name: early, department: {id: a, zh: 甲}, route: transfer}\n"
                   "  - {name: fallback, department: {id: c, zh: 丙}, route: transfer}\n", encoding="utf-8")
    with pytest.raises(RoutingError, match=r"rule 1 \('early'\) has an empty 'when'"):
        RoutingTable.load(bad)
    # an unquoted comma in a flow mapping cuts a description short and adds a key: refused
    bad.write_text("routes: {transfer: {zh: 转送, description: report, sue, apply}}\nrules:\n"
                   "  - {name: fallback, department: {id: c, zh: 丙}, route: transfer}\n", encoding="utf-8")
    with pytest.raises(RoutingError, match=r"route 'transfer': unknown key\(s\) \['apply}?'?"):
        RoutingTable.load(bad)
    assert all(route.description.endswith(".") for route in RoutingTable.load().routes.values())
    # unquoted numeric labels in YAML are read as the text labels they stand for
    table = RoutingTable.from_dict({"routes": {"t": {"zh": "转送"}}, "rules": [
        {"name": "one", "when": {"dept": [1]}, "department": {"id": "a", "zh": "甲"}, "route": "t"},
        {"name": "rest", "department": {"id": "b", "zh": "乙"}, "route": "t"}]}, labels={"dept": ("1", "2")})
    assert table.match({"dept": "1"}).name == "one" and table.match({"dept": "2"}).name == "rest"


def test_micro_batcher_batches_under_load_and_isolates_failures():
    import asyncio

    from petition_nlp.service.batching import MicroBatcher

    batches = []

    def process(items):
        batches.append(list(items))
        if "bad" in items:
            raise ValueError("bad item")
        return [item.upper() for item in items]

    batcher = MicroBatcher(process, max_batch=8)

    async def main():
        words = [f"w{i}" for i in range(20)] + ["bad"]
        return await asyncio.gather(*(batcher.submit(w) for w in words), return_exceptions=True)

    results = asyncio.run(main())
    batcher.close()
    assert results[:20] == [f"W{i}" for i in range(20)]
    assert isinstance(results[20], ValueError)
    assert max(len(b) for b in batches) > 1, "concurrent submissions were never batched"
    assert all(len(b) <= 8 for b in batches)


def test_concurrent_requests_get_their_own_answers(client):
    from concurrent.futures import ThreadPoolExecutor

    texts = ["派出所对我被打的事一直不立案", "法院判决生效两年了对方一直不执行", "小区门口垃圾堆放无人清理",
             "交通事故对方全责保险公司拒赔"] * 5
    alone = [client.post("/v1/route", json={"text": t}).json() for t in texts[:4]]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda t: client.post("/v1/route", json={"text": t}).json(), texts))
    for i, answer in enumerate(together):
        assert answer["labels"] == alone[i % 4]["labels"]
        assert answer["department"] == alone[i % 4]["department"]


def test_serve_refuses_several_workers_with_a_repeat_index(tmp_path):
    from typer.testing import CliRunner

    from petition_nlp.cli import serve  # noqa: F401  (registers the subcommand)
    from petition_nlp.cli.app import app

    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--index", str(tmp_path)], terminal_width=200)
    assert result.exit_code != 0
    assert "--workers" in result.output and "repeat index" in result.output


def test_app_from_environment_builds_the_configured_service(monkeypatch):
    from fastapi.testclient import TestClient

    from petition_nlp.service.factory import SERVICE_ENV, app_from_environment, service_environment

    monkeypatch.setenv(SERVICE_ENV, service_environment(None, None, None, "secret", 1024))
    with TestClient(app_from_environment()) as client:
        assert client.post("/v1/route", json={"text": "法院判决不执行"}).status_code == 401
        answer = client.post("/v1/route", json={"text": "法院判决生效后对方不执行"}, headers={"X-API-Key": "secret"})
        assert answer.status_code == 200 and answer.json()["labels"]["domain"]["label"]
        assert client.post("/v1/route", content=b"x" * 2048, headers={"X-API-Key": "secret"}).status_code == 413


def test_one_service_owns_an_index_folder_and_a_bad_setup_fails_at_start(tmp_path, monkeypatch):
    """A second service on the same index folder, a rebuild of it while it is served, a folder the service
    cannot write to and an empty API key are refused when the service starts, not at the first registration."""
    import os

    from petition_nlp._locks import SERVING_LOCK, folder_lock
    from petition_nlp.cli import serve  # noqa: F401  (registers the subcommand)
    from petition_nlp.cli.app import app
    from petition_nlp.repeats.linkage import PersonLinkage, prior_model
    from petition_nlp.service.factory import SERVICE_ENV, app_from_environment, service_environment

    linkage = PersonLinkage()
    linkage.model_json_ = prior_model()
    index = RepeatIndex(linkage.parameters())
    index.add({"id": "A1", "name": "李秀英", "phone": "13812345678", "text": TRAFFIC})
    folder = index.save(tmp_path / "index")
    monkeypatch.setenv(SERVICE_ENV, service_environment(None, None, folder, None, 1024))
    with TestClient(app_from_environment()):
        with pytest.raises(ValueError, match="another petition-nlp service is serving"):
            app_from_environment()
        with pytest.raises(Exception):  # what `repeats --index` takes before it replaces the folder's index
            with folder_lock(folder, wait=False, name=SERVING_LOCK):
                pass
    with TestClient(app_from_environment()):  # the first one has stopped: the folder is free again
        pass
    if os.geteuid() != 0:  # root writes anywhere
        folder.chmod(0o500)
        try:
            with pytest.raises(ValueError, match="cannot write to the repeat index folder"):
                app_from_environment()
        finally:
            folder.chmod(0o700)
    import uvicorn
    from typer.testing import CliRunner

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("the service started"))
    monkeypatch.setenv("PETITION_NLP_API_KEY", "")
    result = CliRunner().invoke(app, ["serve"], terminal_width=200)
    assert result.exit_code != 0 and "API key is empty" in result.output


def test_a_routing_table_with_a_key_twice_and_a_mistyped_model_variable_are_refused(tmp_path, monkeypatch):
    from petition_nlp import ModelLoadError, load

    table = tmp_path / "routing.yaml"
    shipped = RoutingTable.load().source
    text = open(shipped, encoding="utf-8").read()
    table.write_text(text + "\nrules: []\n", encoding="utf-8")  # a second rules: block would replace the first
    with pytest.raises(RoutingError, match="'rules' appears twice"):
        RoutingTable.load(table)
    table.write_bytes("routes:\n  a: 测试\n".encode("gbk"))
    with pytest.raises(RoutingError, match="not UTF-8"):
        RoutingTable.load(table)
    monkeypatch.setenv("PETITION_NLP_MODEL", str(tmp_path / "no-such-model"))
    with pytest.raises(ModelLoadError, match="PETITION_NLP_MODEL"):
        load()
