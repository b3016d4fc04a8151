"""Eval results brought in: CSV, JSONL and promptfoo's results.json read against the routes in force, every unusable
row reported by line, and the report's per-route and paired statistics (calc/quality/evals.py, report.py)."""

import json

import pytest

from calc import evaluate
from calc.api import read_eval_results
from calc.quality.evals import EvalFileError, parse_count, typed_counts
from calc.quality.report import evaluate as report_of

LUNA, NOVA = "prompt:openai:gpt-6-luna", "fine_tune:bedrock-nova-micro"


def test_csv_rows_by_model_ref_option_id_or_route_id():
    data = b"route,example_id,score\nopenai:gpt-6-luna,a,1\nbedrock-nova-micro,a,0\nfine_tune:bedrock-nova-micro,b,1\n"
    results = read_eval_results(data, "eval.csv")
    assert set(results.routes) == {LUNA, NOVA}
    assert results.routes[NOVA].example_ids == ("a", "b") and list(results.routes[NOVA].scores) == [0.0, 1.0]


def test_jsonl_and_a_json_array_read_the_same_rows():
    rows = [{"route": "openai:gpt-6-luna", "example_id": 1, "score": True}, {"route": "bedrock-nova-micro", "example_id": 1,
            "score": 0.5}]  # fmt: skip
    jsonl = read_eval_results("\n".join(json.dumps(r) for r in rows).encode(), "eval.jsonl")
    array = read_eval_results(json.dumps(rows).encode(), "eval.json")
    assert jsonl.routes[LUNA].scores.tolist() == array.routes[LUNA].scores.tolist() == [1.0]
    assert not jsonl.routes[NOVA].binary  # a graded score


def test_promptfoo_results_by_provider_label_or_id():
    results = {"evalId": "x", "results": {"version": 3, "results": [
        {"provider": {"id": "openai:chat:gpt-6-luna"}, "testIdx": 0, "promptIdx": 0, "success": True, "score": 1},
        {"provider": {"id": "bedrock:arn:aws:bedrock:custom", "label": "bedrock-nova-micro"}, "testIdx": 0,
         "success": False, "score": 0},
        {"provider": {"id": "openai:chat:gpt-6-luna"}, "testIdx": 1, "success": False, "score": 0.0},
    ]}}  # fmt: skip
    read = read_eval_results(json.dumps(results).encode(), "results.json")
    assert read.routes[LUNA].example_ids == ("0", "1") and read.routes[NOVA].scores.tolist() == [0.0]


def test_every_unusable_row_is_named_by_line_and_nothing_is_taken():
    data = (
        b"route,example_id,score\n"
        b"openai:gpt-6-luna,1,1\n"
        b"no-such-route,1,1\n"
        b"no-such-route,2,1\n"
        b"openai:gpt-6-luna,1,0\n"
        b"openai:gpt-6-luna,2,abc\n"
        b"openai:gpt-6-luna,3,1.5\n"
    )
    with pytest.raises(EvalFileError) as raised:
        read_eval_results(data, "eval.csv")
    problems = raised.value.problems
    assert problems[0].startswith("line 3: unknown route 'no-such-route'")
    assert len([p for p in problems if "unknown route" in p]) == 1  # once per name
    assert problems[1] == "line 5: duplicate row for route prompt:openai:gpt-6-luna, example '1' (first at line 2)"
    assert problems[2].startswith("line 6: score 'abc' is not a number from 0 to 1")
    assert problems[3].startswith("line 7: score '1.5'")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"model,id,value\na,1,1\n", "line 1: the header needs the columns route, example_id, score"),
        (b'{"route": "openai:gpt-6-luna", "example_id": 1, "score": 1}\n{"route": "openai:gpt-6-luna", "exa\n',
         "line 2: not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b"route,example_id,score\n", "no rows"),
        (b'{"results": 5}', "promptfoo's results.json"),
    ],
)  # fmt: skip
def test_malformed_files_say_why(data, problem):
    with pytest.raises(EvalFileError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        read_eval_results(data, "f")


def test_typed_counts_and_their_link_form():
    assert parse_count(" 178 / 200 ") == (178, 200)
    for bad in ("201/200", "x/200", "5/0", "1/2/3"):
        with pytest.raises(ValueError):
            parse_count(bad)
    results = typed_counts([(LUNA, 180, 200)])
    assert results.routes[LUNA].n == 200 and results.routes[LUNA].scores.sum() == 180
    assert results.routes[LUNA].example_ids is None


def test_the_report_pairs_shared_examples_with_the_exact_test():
    # 200 shared examples: the prompted route misses every 10th, the fine-tuned one every 20th, so only the prompted
    # route misses examples 10, 30, ..., 190 (b = 10 for the fine-tuned route), and never the other way (c = 0).
    csv = "route,example_id,score\n" + "".join(
        f"openai:gpt-6-luna,{i},{int(i % 10 != 0)}\nbedrock-nova-micro,{i},{int(i % 20 != 0)}\n" for i in range(200)
    )
    report = evaluate(csv.encode(), "eval.csv")
    nova, luna = report.routes[NOVA], report.routes[LUNA]
    assert nova.accuracy.estimate == 0.95 and luna.accuracy.estimate == 0.90
    assert (round(nova.accuracy.low, 4), round(nova.accuracy.high, 4)) == (0.9104, 0.9726)  # Wilson 190/200
    pair = report.comparison(NOVA, LUNA)
    assert pair.paired and pair.n == 200 and (pair.first_only, pair.second_only) == (10, 0)
    assert pair.p_value == pytest.approx(2 / 2**10)  # exact McNemar: 2 x P(X = 0), X ~ Binomial(10, 1/2)
    assert pair.difference.estimate == pytest.approx(0.05) and pair.difference.low > 0
    assert report.comparison(LUNA, NOVA).difference.estimate == pytest.approx(-0.05)
    sizes = {s.gap_points: s.n for s in report.sample_sizes}
    assert sizes[5.0] < sizes[3.0] and "measured on your shared examples" in report.sample_sizes[0].basis


def test_routes_with_no_shared_examples_are_compared_unpaired_without_a_test():
    report = report_of(typed_counts([(LUNA, 180, 200), (NOVA, 186, 200)]))
    pair = report.comparison(NOVA, LUNA)
    assert not pair.paired and pair.p_value is None and "share no example ids" in pair.test
    assert "errors assumed independent" in report.sample_sizes[0].basis
