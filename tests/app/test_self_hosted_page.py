"""Self-hosted page: serving capacity from throughput (GPUs, $/1M output tokens, utilisation) and the cost chart."""

from tests.app.conftest import chart_specs, metrics, run_default


def _serving(at) -> dict[str, str]:
    """The serving metrics; the GPU count as "<n> x <GPU>" from the "<GPU> needed, always on" metric."""
    shown = metrics(at)
    (gpus,) = [f"{value} x {label.removesuffix(' needed, always on')}" for label, value in shown.items() if "needed" in label]
    return {
        "GPUs needed, always on": gpus,
        "Self-hosted per month": shown["Self-hosted per month"],
        "Per 1M output tokens": shown["Per 1M output tokens"],
        "utilisation": shown["Utilisation at average load"],
    }


def test_serving_section_shows_capacity_and_the_crossover():
    at = run_default("pages/6_Self_hosted.py", {"sh_model": "Llama 3.1 70B", "sh_serving_gpu": "A100 SXM 80GB"})
    assert not at.exception
    shown = _serving(at)
    # 70.6B bf16 needs 3 A100s to hold, and a tensor-parallel replica is 4; 10,000 requests/day are far below it
    assert shown["GPUs needed, always on"] == "4 x A100 SXM 80GB"
    assert shown["Self-hosted per month"] == "$5,155/mo"  # 4 x $1.79 x 720 h
    assert shown["Per 1M output tokens"] == "$343.68"  # $5,155.20 / 15M output tokens
    # Azure gpt-4.1-mini: $1,224 deployment + $0.0048 per request-month; a replica ($5,155.20) serves 877,313/day with
    # the A100's like-for-like ratio (issue 29 item 7; 281,042 at the old 0.120), so it pays from 819,000/day until full
    assert any("is **cheaper from about 819,000/day to 877,000/day**" in m.value for m in at.markdown)
    assert any("4 x A100 SXM 80GB = 1 replica of 4" in m.value.replace("\\", "") for m in [*at.markdown, *at.caption])
    (spec,) = chart_specs(at)
    lines = {row["line"] for data in spec["datasets"].values() for row in data if "line" in row}
    assert lines == {"Self-hosted on A100 SXM 80GB", "Managed fine-tuned: Azure gpt-4.1-mini"}


def test_more_volume_adds_gpus_and_changes_the_numbers():
    at = run_default("pages/6_Self_hosted.py", {"sh_serving_gpu": "A10G 24GB"})
    before = _serving(at)
    assert before["GPUs needed, always on"] == "1 x A10G 24GB"
    at = run_default(
        "pages/6_Self_hosted.py",
        {"sh_serving_gpu": "A10G 24GB", "requests_per_day": "1000000", "output_tokens": "200", "instruction_tokens": "800"},
    )
    assert not at.exception
    after = _serving(at)
    # 1M/day at peak 3 = 34.7 requests/s; an A10G decodes 227.7 tokens/s at 800-token prompts (measured ratio
    # 0.0468 to the H100 curve) = 1.138 requests/s of 200 output tokens: 31 GPUs
    assert after["GPUs needed, always on"] == "31 x A10G 24GB"
    assert after != before
    at.number_input(key="peak_factor").set_value(1.0).run()
    assert _serving(at)["GPUs needed, always on"] == "11 x A10G 24GB"  # 11.57 / 1.138 per GPU


def test_serving_gpu_choice_changes_the_plan():
    at = run_default("pages/6_Self_hosted.py")
    assert _serving(at)["GPUs needed, always on"] == "1 x L4 24GB"
    at.selectbox(key="sh_serving_gpu").set_value("H100 SXM 80GB").run()
    assert not at.exception
    assert _serving(at)["Self-hosted per month"] == "$2,873/mo"


def test_home_fine_tuned_help_states_the_gpu_count():
    query = {
        "option": "together-lora-up-to-16b",
        "requests_per_day": "1000000",
        "instruction_tokens": "800",
        "output_tokens": "200",
    }
    at = run_default("streamlit_app.py", query)
    assert not at.exception
    (tuned,) = [m for m in at.metric if m.label == "Fine-tuned per month"]
    assert tuned.value == "$5,746/mo"  # 2 x $3.99 x 720 h
    assert "2 x H100 SXM 80GB at \\$3.99/hour" in tuned.proto.help  # user text in help is escaped Markdown
