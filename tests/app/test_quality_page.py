from tests.app.conftest import metrics, run_page

PAGE = "pages/3_Quality_and_decision.py"


def recommendation(at) -> str:
    boxes = [*at.success, *at.info, *at.warning]
    return next(b.value for b in boxes if b.value.startswith("**") and ".**" in b.value)


def test_page_runs_and_asks_for_an_error_cost():
    at = run_page(PAGE)
    assert not at.exception
    assert metrics(at)["Error value per month"] == "$0/mo"
    assert any("cost of one wrong answer" in i.value for i in at.info)
    assert recommendation(at).startswith("**Use prompting.**")


def test_task_change_changes_numbers_and_path():
    at = run_page(PAGE, {"error_cost": "0.05"})
    assert metrics(at)["Error value per month"] == "$675.00/mo"  # 300,000 x 4.5 points x $0.05
    at.selectbox(key="task").set_value("style").run()
    assert not at.exception
    assert metrics(at)["Error value per month"] == "$2,250/mo"  # 300,000 x 15 points x $0.05
    assert recommendation(at).startswith("**Fine-tune.**")
    assert at.get("graphviz_chart")


def test_eval_answer_and_disagreement():
    at = run_page(PAGE, {"task": "multi_label", "requests_per_day": "50000"})
    assert recommendation(at).startswith("**Measure first.**")
    at.radio(key="eval_result").set_value("no").run()
    assert recommendation(at).startswith("**Use prompting.**")
    assert any("volume alone does not justify" in w.value for w in at.warning)


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
    from tests.app.conftest import run_default

    different = run_default(PAGE)  # gpt-6-luna vs Azure gpt-4.1-mini
    assert any("two different models" in i.value for i in different.info)
    same = run_default(PAGE, {"prompt_model": "azure:gpt-4.1-mini"})
    assert not any("two different models" in i.value for i in same.info)
