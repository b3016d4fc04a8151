from tests.app.conftest import metrics, run_default, run_page, verdict_box, verdict_why

PAGE = "pages/3_Quality_and_decision.py"
#: Issue 28's pair: Claude Sonnet 5 prompted vs Bedrock Nova Micro fine-tuned at 20,000/day.
ISSUE_PAIR = {"requests_per_day": "20000", "prompt_model": "anthropic:claude-sonnet-5", "option": "bedrock-nova-micro",
              "examples": "8"}  # fmt: skip


def eval_csv(tuned_right: int, prompted_right: int, n: int = 400) -> bytes:
    """Per-example scores of the issue's pair on `n` shared examples: the fine-tuned route right on its first
    `tuned_right`, the prompted one on its first `prompted_right`."""
    rows = ["route,example_id,score"]
    rows += [f"bedrock-nova-micro,{i},{int(i < tuned_right)}" for i in range(n)]
    rows += [f"anthropic:claude-sonnet-5,{i},{int(i < prompted_right)}" for i in range(n)]
    return "\n".join(rows).encode()


def test_page_runs_and_asks_for_an_error_cost():
    at = run_page(PAGE)
    assert not at.exception
    assert metrics(at)["Error value per month"] == "$0/mo"
    assert any("cost of one wrong answer" in i.value for i in at.info)
    assert verdict_box(at).startswith("**Prompt:** fine-tuning OpenAI gpt-4o-mini is closed to new customers")


def test_task_change_changes_numbers_and_the_tree():
    at = run_page(PAGE, {"error_cost": "0.05", "option": "azure-gpt-4o-mini", "prompt_model": "azure:gpt-4o-mini"})
    assert metrics(at)["Error value per month"] == "$675.00/mo"  # 300,000 x 4.5 points (the article's range) x $0.05
    at.selectbox(key="task").set_value("style").run()
    assert not at.exception
    assert metrics(at)["Error value per month"] == "$2,250/mo"  # 300,000 x 15 points x $0.05
    assert any("The tree alone says fine-tuning" in c.value for c in at.caption)
    assert at.get("graphviz_chart")


def test_the_issue_pair_measures_first_and_says_what_fine_tuning_saves():
    at = run_default(PAGE, ISSUE_PAIR)
    box = verdict_box(at)
    assert box.startswith("**Measure first:**") and "\\$2,754/mo cheaper" in box  # Sonnet 5 in its own tokens (issue 30)
    assert "fine-tune if Bedrock Nova Micro matches Anthropic Claude Sonnet 5 on your eval" in box
    assert "literature prior, not your task" in verdict_why(at)
    assert any("Nothing measured yet" in i.value for i in at.info)
    assert any(m.value.startswith("**5. ") and "Not measured: about" in m.value for m in at.markdown) is False
    assert any(m.value.startswith("**3. ") for m in at.markdown)  # the tree stops at question 3 here


def test_typed_counts_make_the_quality_measured_and_change_the_verdict():
    at = run_default(PAGE, {**ISSUE_PAIR, "eval_counts": "bedrock-nova-micro=380/400,anthropic:claude-sonnet-5=340/400"})
    assert not at.exception
    box = verdict_box(at)
    assert box.startswith("**Fine-tune:** Bedrock Nova Micro is better than Anthropic Claude Sonnet 5 on your eval")
    tables = [t.value for t in at.dataframe]
    routes = next(t for t in tables if "95% interval" in t.columns and "accuracy" in t.columns)
    assert set(routes["accuracy"]) == {"95.0%", "85.0%"}
    assert "measured:" in verdict_why(at)


def test_the_editors_edits_become_the_links_counts():
    from ui.eval_view import edited_counts

    pair = ["prompt:anthropic:claude-sonnet-5", "fine_tune:bedrock-nova-micro"]
    other = ("prompt:openai:gpt-6-luna", 170, 200)
    edits = {0: {"right": 340, "out of n": 400}, 1: {"right": 380, "out of n": 400}}
    assert edited_counts((other,), pair, edits) == (other, (pair[0], 340, 400), (pair[1], 380, 400))
    cleared = edited_counts(((pair[0], 340, 400),), pair, {0: {"right": None}})
    assert cleared == ()
    assert edited_counts((), pair, {1: {"right": 500, "out of n": 400}, 7: {"right": 1}, "x": {}}) == ()


def test_an_eval_file_is_analysed_with_paired_tests_and_a_bad_one_keeps_what_was_there():
    at = run_default(PAGE, ISSUE_PAIR)
    at.file_uploader(key="eval_upload").set_value(("eval.csv", eval_csv(380, 340), "text/csv")).run()
    assert not at.exception
    assert verdict_box(at).startswith("**Fine-tune:**")
    pairs = next(t.value for t in at.dataframe if "p-value" in t.value.columns)
    assert pairs.iloc[0]["test"] == "exact McNemar" and pairs.iloc[0]["examples"] == "400 shared"
    bad = b"route,example_id,score\nbedrock-nova-micro,1,1\nnot-a-route,1,1\nbedrock-nova-micro,1,0\nbedrock-nova-micro,2,x\n"
    at.file_uploader(key="eval_upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception
    error = " ".join(e.value for e in at.error).replace("\u2060", "").replace("\\", "")
    assert "bad.csv was not used" in error and "The results already in force stay" in error
    assert "line 3: unknown route" in error and "line 4: duplicate row" in error and "line 5: score" in error
    assert verdict_box(at).startswith("**Fine-tune:**")  # the first file is still in force


def test_hybrid_slider_and_mistakes():
    at = run_page(PAGE, {"task": "reasoning", "training_examples": "20"})
    before = metrics(at)["Hybrid (2 examples)"]
    at.slider(key="hybrid_examples").set_value(6).run()
    assert metrics(at)["Hybrid (6 examples)"] != before
    risks = [m.value for m in at.markdown if "**At risk**" in m.value]
    assert any("Fine-tuning for reasoning" in r for r in risks)
    assert any("Insufficient eval set" in r for r in risks)
    assert any("degrade" in w.value or "lowers" in w.value for w in at.warning)


def test_a_pair_of_two_models_is_told_the_article_compares_one():
    different = run_default(PAGE)  # gpt-6-luna vs Azure gpt-4.1-mini
    assert any("two different models" in i.value for i in different.info)
    same = run_default(PAGE, {"prompt_model": "azure:gpt-4.1-mini"})
    assert not any("two different models" in i.value for i in same.info)
