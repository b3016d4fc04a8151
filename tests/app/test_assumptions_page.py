from tests.app.conftest import metrics, run_page

PAGE = "pages/7_Assumptions.py"


def test_assumptions_page_lists_every_table_with_provenance():
    at = run_page(PAGE)
    assert not at.exception
    editor = next((d.value for d in at.dataframe if "hosting_kind" in d.value.columns), None)
    assert editor is not None and len(editor) == 40  # 32 options + 8 added by issue 29 (DPO, RFT, reserved self-hosting)
    assert {"source", "as_of", "confidence", "jobs_close", "shutdown"} <= set(editor.columns)
    prompting = next(d.value for d in at.dataframe if "model_ref" in d.value.columns)
    assert "openai:gpt-6-luna" in set(prompting["model_ref"])
    ratios = next(d.value for d in at.dataframe if "ratio_low" in d.value.columns)  # issue 30: each model's tokens
    assert {"claude_2026", "llama3"} <= set(ratios["family"]) and {"source", "as_of", "confidence"} <= set(ratios.columns)
    assert any("tokenizer" in d.value.columns and "match" in d.value.columns for d in at.dataframe)


def test_page_follows_the_shared_option():
    at = run_page(PAGE, {"option": "vertex-gemini-2.5-pro"})
    assert any("Vertex Gemini 2.5 Pro" in h.value for h in at.subheader)
    assert any("shut down 2026-10-20" in e.value for e in at.error)
    at = run_page(PAGE, {"option": "azure-gpt-4.1-mini"})
    assert any("open to new customers" in s.value for s in at.success)


def _export(at) -> str:
    from ui.assumptions import shipped_options

    return shipped_options().to_csv(index=False)


def _import(at, text: str, name: str = "prices.csv"):
    at.file_uploader(key="assumptions_import").set_value((name, text.encode(), "text/csv"))
    return at.run()


def test_imported_prices_change_the_home_page_and_reset_restores():
    at = run_page(PAGE)
    csv_text = _export(at).replace(
        "openai-gpt-4o-mini,OpenAI gpt-4o-mini,OpenAI,gpt-4o-mini-2024-07-18,sft,3.0,",
        "openai-gpt-4o-mini,OpenAI gpt-4o-mini,OpenAI,gpt-4o-mini-2024-07-18,sft,30.0,",
    )
    assert "sft,30.0," in csv_text
    _import(at, csv_text)
    assert not at.exception
    assert any("Edited assumptions in use" in w.value for w in at.warning)
    at.switch_page("streamlit_app.py").run()
    assert metrics(at)["Training cost (one run)"] == "$22.50"  # 750,000 tokens x $30/1M instead of $3
    at.switch_page(PAGE).run()
    next(b for b in at.button if b.label == "Reset to the shipped prices").click().run()
    at.switch_page("streamlit_app.py").run()
    assert metrics(at)["Training cost (one run)"] == "$2.25"


def test_malformed_or_invalid_import_is_refused_and_nothing_changes():
    at = run_page(PAGE)
    _import(at, "this,is\nnot,a price table\n")
    assert any("Import refused" in e.value and "missing column" in e.value for e in at.error)
    negative = _export(at).replace(",0.15,0.075,0.6,", ",-0.15,0.075,0.6,", 1)
    _import(at, negative, "negative.csv")
    assert any("Import refused" in e.value and "below the minimum 0" in e.value for e in at.error)
    at.switch_page("streamlit_app.py").run()
    assert metrics(at)["Prompting per month"] == "$45.00/mo"
    assert not any("Edited assumptions" in w.value for w in at.warning)


def test_the_serving_billing_and_reasoning_tables_are_shown_with_their_sources():
    at = run_page(PAGE)
    tables = [d.value for d in at.dataframe]
    reasoning = next(t for t in tables if "default_effort" in t.columns)
    assert reasoning.iloc[0]["medium_tokens"] == 76 and reasoning.iloc[0]["source"]
    billing = next(t for t in tables if "scale_to_zero_window_minutes" in t.columns)
    windows = dict(zip(billing["provider"], billing["scale_to_zero_window_minutes"], strict=True))
    assert windows == {"Together AI": 0, "Fireworks": 60}
    throughput = next(t for t in tables if "concurrency" in t.columns and "use" in t.columns)
    assert set(throughput["use"]) == {"curve", "gpu", "baseline"} and throughput["source"].str.len().min() > 10


def test_an_import_with_surrogates_is_shown_as_text_or_refused_plainly():
    """A lone surrogate cannot reach the page from a CSV: its UTF-8-like bytes (ED B2 80) are not UTF-8 and the file is
    refused in words; the escape's text (a backslash, "udc80") is only text, shown as it is."""
    from ui.assumptions import shipped_options

    at = run_page(PAGE)
    table = shipped_options()
    table.loc[table.index[0], "notes"] = "note \\udc80 SURROGATE"
    text = table.to_csv(index=False)
    _import(at, text)
    assert not at.exception and any("Edited assumptions in use" in w.value for w in at.warning)
    editor = next(d.value for d in at.dataframe if "notes" in d.value.columns)
    assert editor["notes"].str.contains("\\udc80", regex=False).any()
    at.file_uploader(key="assumptions_import").set_value(
        ("surrogate.csv", text.encode().replace(b"SURROGATE", b"\xed\xb2\x80"), "text/csv")
    )
    at.run()
    assert not at.exception and any("Import refused" in e.value and "not UTF-8" in e.value for e in at.error)
