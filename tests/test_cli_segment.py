import subprocess
import sys

from typer.testing import CliRunner

from petition_nlp.cli.app import app
from petition_nlp.cli import segment  # noqa: F401  (registers the subcommand)

runner = CliRunner()


def test_segment_file_masks_and_keeps_line_count(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("被执行人拒不执行判决\n\n电话13812345678\n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(src)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["被执行人 拒不执行判决", "", "电话 <PHONE>"]


def test_segment_reads_gbk_with_crlf_and_bom_variants(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("有案不立\r\n法院执行\r\n".encode("gb18030"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeff有案不立\r\n".encode("utf-8"))
    for path in (gbk, bom):
        result = runner.invoke(app, ["segment", str(path), "--no-mask"])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0] == "有案不立"


def test_segment_bad_encoding_names_the_line(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_bytes("第一行\n".encode() + b"\xff\xfe\xfa\n")
    result = runner.invoke(app, ["segment", str(src), "--encoding", "utf-8"])
    assert result.exit_code == 2
    assert "line 2" in result.output


def test_segment_missing_file_and_bad_user_dict_are_one_line_errors(tmp_path):
    result = runner.invoke(app, ["segment", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "not found" in result.output and "Traceback" not in result.output
    bad = tmp_path / "dict.txt"
    bad.write_text("词 abc n\n", encoding="utf-8")
    src = tmp_path / "in.txt"
    src.write_text("文本\n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(src), "--user-dict", str(bad)])
    assert result.exit_code == 2 and "dict.txt:1" in result.output


def test_module_entry_point_reads_stdin():
    proc = subprocess.run(
        [sys.executable, "-m", "petition_nlp", "segment", "--backend", "rjieba"],
        input="有案不立\n".encode(), capture_output=True, check=True,
    )
    assert proc.stdout.decode().strip() == "有案不立"


def test_segment_keeps_one_output_line_per_input_line_whatever_the_text_holds(tmp_path):
    src = tmp_path / "pasted.txt"
    # a line separator, a form feed and NEL, as pasted from Word or the web, inside lines
    src.write_text("第一条\u2028续写\n第二条\x0c分页\n第三条\x85尾\n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(src), "--no-mask"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 3
