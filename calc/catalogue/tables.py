"""Load the curated CSV tables in data/ and check them against their schemas.

A table that breaks its schema raises DataSchemaError naming the file, row and column, so a bad
edit to a price never reaches a chart silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

#: How a fine-tuned model is billed besides tokens (see FineTuneOption.billing_terms).
HOSTING_KINDS = ("serverless", "deployment_hourly", "dedicated_gpu", "provisioned", "storage_monthly")
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class DataSchemaError(ValueError):
    """A curated table does not match its schema."""


@dataclass(frozen=True)
class Column:
    """One column of a schema: its kind and whether it may be empty."""

    name: str
    kind: str  # "str", "float", "int", "bool", "date", "choice"
    required: bool = True
    choices: tuple[str, ...] = ()
    min_value: float | None = 0.0
    max_value: float | None = None


#: How sure a curated row is: confirmed on the provider's own page, secondary (a copy or an aggregator), unverified.
CONFIDENCE = Column("confidence", "choice", choices=("confirmed", "secondary", "unverified"))
#: The columns every curated row ends with (data/ rule: each row has its source and the date it was read).
PROVENANCE = (Column("source", "str"), Column("as_of", "date"), CONFIDENCE)
NOTES = Column("notes", "str", required=False)


#: Bounds of every numeric and date column of the options table: what the model accepts, so a table that imports
#: (or an edit that is kept) can never crash a page. Each is checked on import and on edit, row and column named.
#: No price in USD (per 1M tokens, per hour, per month, per job) is above this: a larger edit is a typo, and
#: refusing it keeps every cost finite.
MAX_PRICE = 1_000_000.0
#: GPU-hours per 1M training tokens: a 70B full fine-tune on one old GPU is ~10; 10,000 is a typo.
MAX_GPU_HOURS_PER_MTOK = 10_000.0
#: A provider's minimum examples per job: at most the scenario's largest training set (calc/scenario.py LIMITS; a
#: test keeps the two equal, and the catalogue does not import the scenario).
MAX_MIN_EXAMPLES = 100_000_000
#: Tokens per training example: the Training data page's token-limit input goes to 1,000,000 (numpy sums in int64).
MAX_EXAMPLE_TOKENS = 1_000_000
#: A provider's default epochs: the scenario's range of epochs (calc/scenario.py LIMITS, kept equal by a test).
EPOCH_RANGE = (1, 50)
#: GPUs or units a deployment keeps on: calc/gpu.py `_check` takes 1 to 512 GPUs (numpy counts them in int64).
MAX_HOSTING_UNITS = 512
#: Model size in billions of parameters: the serving model's size classes (calc/serving.py size_class) take 0.1-2,000;
#: 8030 is a millions-for-billions typo.
MODEL_SIZE_B_RANGE = (0.1, 2_000.0)
#: Every date in a table (prices' as_of, lifecycle dates): months are counted from them, so a year 9999 is refused.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
#: How an option trains: supervised (full, LoRA), preference (DPO) or reinforcement (RFT) fine-tuning.
METHODS = ("sft", "lora_sft", "full_sft", "dpo", "lora_dpo", "rft")
#: What one unit of training costs: per 1M training tokens, per GPU-hour (own GPUs), or per hour of the provider's
#: training job (Azure's reinforcement fine-tuning: the hours of one run are the user's estimate).
TRAINING_UNITS = ("per_mtok", "per_gpu_hour", "per_training_hour")
#: The kind of service a tuned model runs on: a production endpoint (generally available), a preview, a training
#: service whose inference is for testing, or your own GPUs.
SERVICE_KINDS = ("production", "preview", "training", "own_gpus")
OPTION_COLUMNS = (
    Column("option_id", "str"),
    Column("label", "str"),
    Column("provider", "str"),
    Column("model_id", "str"),
    Column("method", "choice", choices=METHODS),
    Column("training_price_usd", "float", required=False, max_value=MAX_PRICE),
    Column("training_price_low_usd", "float", required=False, max_value=MAX_PRICE),
    Column("training_price_high_usd", "float", required=False, max_value=MAX_PRICE),
    Column("training_unit", "choice", choices=TRAINING_UNITS),
    Column("gpu_hours_per_mtok", "float", required=False, max_value=MAX_GPU_HOURS_PER_MTOK),
    Column("min_examples", "int", required=False, max_value=MAX_MIN_EXAMPLES),
    Column("max_example_tokens", "int", required=False, min_value=1, max_value=MAX_EXAMPLE_TOKENS),
    Column("default_epochs", "int", required=False, min_value=EPOCH_RANGE[0], max_value=EPOCH_RANGE[1]),
    Column("base_model_ref", "str", required=False),
    Column("base_input_per_mtok", "float", max_value=MAX_PRICE),
    Column("base_cached_input_per_mtok", "float", required=False, max_value=MAX_PRICE),
    Column("base_output_per_mtok", "float", max_value=MAX_PRICE),
    Column("tuned_input_per_mtok", "float", max_value=MAX_PRICE),
    Column("tuned_cached_input_per_mtok", "float", required=False, max_value=MAX_PRICE),
    Column("tuned_output_per_mtok", "float", max_value=MAX_PRICE),
    Column("hosting_kind", "choice", choices=HOSTING_KINDS),
    Column("hosting_usd_per_hour", "float", required=False, max_value=MAX_PRICE),
    Column("hosting_units", "int", required=False, min_value=1, max_value=MAX_HOSTING_UNITS),
    Column("storage_usd_per_month", "float", required=False, max_value=MAX_PRICE),
    Column("min_job_usd", "float", required=False, max_value=MAX_PRICE),
    # dedicated_gpu: sizes the GPUs by throughput (calc/costs/serving.py)
    Column("model_size_b", "float", required=False, min_value=MODEL_SIZE_B_RANGE[0], max_value=MODEL_SIZE_B_RANGE[1]),
    Column("serving_gpu", "str", required=False),  # dedicated_gpu: the GPU in data/gpus.csv it serves on
    Column("closed_to_new_customers", "date", required=False),
    Column("closed_to_new_customers_source", "str", required=False),
    Column("jobs_close", "date", required=False),
    Column("jobs_close_source", "str", required=False),
    Column("shutdown", "date", required=False),
    Column("shutdown_source", "str", required=False),
    Column("successor", "str", required=False),
    Column("earliest_retirement", "date", required=False),  # "retires no earlier than": a floor, not a shutdown
    Column("earliest_retirement_source", "str", required=False),
    # What kind of service the tuned model runs on (empty: production), with its source, and which figures of the row
    # no copy confirms (shown beside its price confidence)
    Column("service_kind", "choice", required=False, choices=SERVICE_KINDS),
    Column("service_kind_source", "str", required=False),
    Column("unverified_figures", "str", required=False),
    *PROVENANCE,
    NOTES,
)
#: Columns added after the first exports (serving capacity, minimum charge per job, "retires no earlier than"): tables
#: exported before them still import (the option is then flat-priced, with no minimum and no retirement floor).
LATER_COLUMNS = ("model_size_b", "serving_gpu", "min_job_usd", "earliest_retirement", "earliest_retirement_source",
                 "service_kind", "service_kind_source", "unverified_figures")
#: Each lifecycle date and the column naming its source.
LIFECYCLE_DATES = (
    ("closed_to_new_customers", "closed_to_new_customers_source"),
    ("jobs_close", "jobs_close_source"),
    ("shutdown", "shutdown_source"),
)

#: Each lifecycle date of a prompting model and the column naming its source.
PROMPT_LIFECYCLE_DATES = (
    ("closed_to_new_customers", "closed_to_new_customers_source"),
    ("shutdown", "shutdown_source"),
    ("earliest_retirement", "earliest_retirement_source"),
)
#: The curated prompting-model facts (data/prompt_models.csv, or a team's table of the same columns).
PROMPT_MODEL_COLUMNS = (
    Column("model_ref", "str"),
    Column("recommended", "bool"),
    Column("why", "str", required=False),
    Column("closed_to_new_customers", "date", required=False),
    Column("closed_to_new_customers_source", "str", required=False),
    Column("shutdown", "date", required=False),
    Column("shutdown_source", "str", required=False),
    Column("earliest_retirement", "date", required=False),
    Column("earliest_retirement_source", "str", required=False),
    Column("successor_ref", "str", required=False),
    *PROVENANCE,
)

BAND_COLUMNS = (
    Column("band", "int"),
    Column("min_requests_per_day", "float"),
    Column("max_requests_per_day", "float", required=False),
    Column("volume_label", "str"),
    Column("recommendation", "str"),
    Column("why", "str"),
    Column("source", "str"),
    Column("as_of", "date"),
)

SCENARIO_COLUMNS = (
    Column("scenario", "str"),
    Column("input_tokens_prompting", "int"),
    Column("input_tokens_fine_tuned", "int"),
    Column("output_tokens", "int"),
    Column("requests_per_day", "int"),
    Column("stated_monthly_savings_usd", "float"),
    Column("stated_breakeven", "str"),
    Column("stated_model", "str"),
    Column("option_id", "str"),
    Column("typical_training_low_usd", "float"),
    Column("typical_training_high_usd", "float"),
    Column("source", "str"),
    Column("as_of", "date"),
)


#: Longest cell read (a source with several URLs is ~600); a longer one is refused before it is parsed.
MAX_CELL_CHARS = 5_000


def _convert(value: object, column: Column, where: str) -> object:
    """One cell converted to its column's kind, or DataSchemaError saying where and why."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    if len(text) > MAX_CELL_CHARS:
        raise DataSchemaError(
            f"{where}: '{column.name}' is {len(text):,} characters long; a cell holds at most {MAX_CELL_CHARS:,}."
        )
    if not text:
        if column.required:
            raise DataSchemaError(f"{where}: '{column.name}' is empty but required.")
        return None
    try:
        if column.kind in ("float", "int"):
            number = float(text)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError
            if column.kind == "int":
                if not number.is_integer():
                    raise ValueError
                number = int(number)
        elif column.kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError
            return text.lower() == "true"
        elif column.kind == "date":
            day = dt.date.fromisoformat(text)
            if not EARLIEST_DATE <= day <= LATEST_DATE:
                raise DataSchemaError(f"{where}: '{column.name}' is {text}; dates run from {EARLIEST_DATE} to {LATEST_DATE}.")
            return day
        elif column.kind == "choice":
            if text not in column.choices:
                raise DataSchemaError(f"{where}: '{column.name}' is {text!r}; expected one of {', '.join(column.choices)}.")
            return text
        else:
            return text
    except DataSchemaError:
        raise
    except ValueError:
        raise DataSchemaError(f"{where}: '{column.name}' is {text!r}, not a valid {column.kind}.") from None
    if column.min_value is not None and number < column.min_value:
        raise DataSchemaError(f"{where}: '{column.name}' is {text}, below the minimum {column.min_value:g}.")
    if column.max_value is not None and number > column.max_value:
        raise DataSchemaError(f"{where}: '{column.name}' is {text}, above the maximum {column.max_value:,g}.")
    return number


def validate_table(frame: pd.DataFrame, columns: tuple[Column, ...], name: str) -> pd.DataFrame:
    """A typed copy of `frame`, checked cell by cell against `columns`."""
    missing = [c.name for c in columns if c.name not in frame.columns]
    if missing:
        raise DataSchemaError(f"{name}: missing column(s) {', '.join(missing)}.")
    if frame.empty:
        raise DataSchemaError(f"{name}: the table has no rows.")
    rows = []
    for position, (_, row) in enumerate(frame.iterrows()):
        where = f"{name}, row {position + 1}"
        rows.append({c.name: _convert(row[c.name], c, where) for c in columns})
    typed = pd.DataFrame(rows, columns=[c.name for c in columns])
    for column in columns:
        if column.kind == "float":
            typed[column.name] = typed[column.name].astype("float64")
        elif column.kind == "int" and column.required:
            typed[column.name] = typed[column.name].astype("int64")
    return typed


def _read(filename: str) -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / filename, dtype=str, keep_default_na=False)


def validate_options(frame: pd.DataFrame, name: str = "finetune_options.csv") -> pd.DataFrame:
    """A fine-tuning options table checked cell by cell and as a whole, indexed by option_id.

    Used for the shipped file and for tables edited or imported in the app: any negative, empty or
    non-numeric price raises DataSchemaError naming the row and column.
    """
    frame = frame.assign(**{column: "" for column in LATER_COLUMNS if column not in frame.columns})
    table = validate_table(frame, OPTION_COLUMNS, name)
    duplicated = table["option_id"][table["option_id"].duplicated()].tolist()
    if duplicated:
        raise DataSchemaError(f"{name}: duplicate option_id {', '.join(duplicated)}.")
    unknown = sorted(set(table["successor"].dropna()) - set(table["option_id"]))
    if unknown:
        raise DataSchemaError(f"{name}: successor(s) {', '.join(unknown)} are not option ids.")
    self_hosted = table["training_unit"] == "per_gpu_hour"
    lacking = table.loc[self_hosted & table["gpu_hours_per_mtok"].isna(), "option_id"].tolist()
    if lacking:
        raise DataSchemaError(f"{name}: GPU-hour priced option(s) {', '.join(lacking)} need gpu_hours_per_mtok.")
    problems = [*_range_problems(table), *_lifecycle_problems(table)]
    if problems:
        raise DataSchemaError(f"{name}: " + "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "") + ".")
    return table.set_index("option_id", drop=False)


def _range_problems(table: pd.DataFrame) -> list[str]:
    """Rows whose training price range is inverted or leaves out the price itself."""
    problems = []
    for row in table.itertuples(index=False):
        low, price, high = row.training_price_low_usd, row.training_price_usd, row.training_price_high_usd
        if pd.notna(low) and pd.notna(high) and low > high:
            problems.append(f"{row.option_id}: training price low ({low:g}) is above high ({high:g})")
        elif pd.notna(price) and ((pd.notna(low) and price < low) or (pd.notna(high) and price > high)):
            problems.append(f"{row.option_id}: training price {price:g} lies outside its range")
    return problems


def _lifecycle_problems(table: pd.DataFrame) -> list[str]:
    """Rows with a lifecycle date but no source for it, or dates out of order."""
    problems = []
    for row in table.to_dict(orient="records"):
        dates = []
        for date_column, source_column in LIFECYCLE_DATES:
            when = row[date_column]
            if when is None or pd.isna(when):
                continue
            if not row[source_column] or pd.isna(row[source_column]):
                problems.append(f"{row['option_id']}: '{date_column}' has no '{source_column}'")
            dates.append((date_column, when))
        floor = row.get("earliest_retirement")
        if floor is not None and not pd.isna(floor) and not _present(row.get("earliest_retirement_source")):
            problems.append(f"{row['option_id']}: 'earliest_retirement' has no 'earliest_retirement_source'")
        if any(later < earlier for (_, earlier), (_, later) in pairwise(dates)):
            problems.append(f"{row['option_id']}: lifecycle dates are out of order ({', '.join(f'{c} {d}' for c, d in dates)})")
    return problems


def _present(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


@lru_cache(maxsize=1)
def _options() -> pd.DataFrame:
    return validate_options(_read("finetune_options.csv"))


def table_as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A typed table back as the text a CSV holds (empty cells as ""), for re-validation."""
    plain = table.reset_index(drop=True)
    return plain.astype(object).where(plain.notna(), "")


def apply_price_edits(
    options: pd.DataFrame, edited_rows: Mapping[Any, Mapping[str, Any]], editable: tuple[str, ...]
) -> pd.DataFrame:
    """`options` with edits ({row position: {column: value}}) applied to `editable` columns, re-validated.

    Raises DataSchemaError naming the option and column of a negative, empty or non-numeric price;
    the caller keeps its last valid table.
    """
    table = table_as_text(options)
    for position, edits in edited_rows.items():
        try:
            row = int(position)
        except (TypeError, ValueError):
            raise DataSchemaError(f"Edited prices: {str(position)[:40]!r} is not a row.") from None
        if not isinstance(edits, Mapping):
            raise DataSchemaError(f"Edited prices: the edits of row {row + 1} are not a set of cells.")
        if not 0 <= row < len(table):
            raise DataSchemaError(f"Edited prices: there is no row {row + 1}.")
        for column, value in edits.items():
            if column not in editable:
                raise DataSchemaError(f"Edited prices: '{column}' cannot be edited.")
            table.at[row, column] = "" if value is None else value
    try:
        return validate_options(table, "Edited prices")
    except DataSchemaError as problem:
        match = re.search(r"row (\d+)", str(problem))
        label = table.at[int(match.group(1)) - 1, "label"] if match else ""
        raise DataSchemaError(f"{problem} ({label})" if label else str(problem)) from None


def stale_options(options: pd.DataFrame, today: dt.date, max_age_days: int = 183) -> list[str]:
    """Labels of options whose prices are older than `max_age_days` (six months by default)."""
    return [row["label"] for _, row in options.iterrows() if (today - row["as_of"]).days > max_age_days]


def load_options() -> pd.DataFrame:
    """The fine-tuning options, indexed by option_id (a copy: callers may modify it)."""
    return _options().copy()


@lru_cache(maxsize=1)
def _bands() -> pd.DataFrame:
    table = validate_table(_read("volume_bands.csv"), BAND_COLUMNS, "volume_bands.csv")
    lower = table["min_requests_per_day"].tolist()
    upper = table["max_requests_per_day"].tolist()
    if lower[0] != 0 or any(upper[i] != lower[i + 1] for i in range(len(lower) - 1)) or not pd.isna(upper[-1]):
        raise DataSchemaError("volume_bands.csv: bands must start at 0, touch end to start, and leave the last open.")
    return table


def load_volume_bands() -> pd.DataFrame:
    """The article's volume bands, lowest first."""
    return _bands().copy()


@lru_cache(maxsize=1)
def _scenarios() -> pd.DataFrame:
    return validate_table(_read("inference_scenarios.csv"), SCENARIO_COLUMNS, "inference_scenarios.csv")


def load_inference_scenarios() -> pd.DataFrame:
    """The article's four inference-savings scenarios with its stated figures."""
    return _scenarios().copy()


QUALITY_COLUMNS = (
    Column("task_id", "str"),
    Column("task", "str"),
    Column("prompting_low", "float"),
    Column("prompting_high", "float"),
    Column("fine_tuned_low", "float"),
    Column("fine_tuned_high", "float"),
    Column("delta_low", "float", min_value=None),
    Column("delta_high", "float", min_value=None),
    Column("justified", "str"),
    Column("format_or_style", "bool"),
    Column("source", "str"),
    Column("as_of", "date"),
)


def _text_columns(*names: str) -> tuple[Column, ...]:
    """Required text columns followed by the `as_of` date every article table carries."""
    return (*(Column(name, "str") for name in names), Column("as_of", "date"))


TRADEOFF_COLUMNS = _text_columns("dimension", "prompt_engineering", "fine_tuning", "source")
SIZE_COLUMNS = (
    Column("min_examples", "int"),
    Column("max_examples", "int", required=False),
    *_text_columns("size_label", "expected_quality", "use_case", "source"),
)
CHECKLIST_COLUMNS = _text_columns("criterion", "what_it_means", "why_it_matters", "source")
HYBRID_COLUMNS = _text_columns("layer", "technique", "what_it_handles", "source")
TREE_COLUMNS = (Column("step", "int"), *_text_columns("question", "if_yes", "if_no", "source"))
MISTAKE_COLUMNS = _text_columns("mistake_id", "mistake", "what_happens", "how_to_avoid", "source")

ARTICLE_TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "quality": ("quality_by_task.csv", QUALITY_COLUMNS),
    "tradeoffs": ("tradeoffs.csv", TRADEOFF_COLUMNS),
    "training_sizes": ("training_set_sizes.csv", SIZE_COLUMNS),
    "checklist": ("data_quality_checklist.csv", CHECKLIST_COLUMNS),
    "hybrid": ("hybrid_layers.csv", HYBRID_COLUMNS),
    "decision_tree": ("decision_tree.csv", TREE_COLUMNS),
    "mistakes": ("common_mistakes.csv", MISTAKE_COLUMNS),
    "limitations": ("limitations.csv", _text_columns("limitation", "source")),
}


@cache
def _article_table(name: str) -> pd.DataFrame:
    filename, columns = ARTICLE_TABLES[name]
    return validate_table(_read(filename), columns, filename)


def load_article_table(name: str) -> pd.DataFrame:
    """One of the article's tables by name (see ARTICLE_TABLES), schema-checked; a copy."""
    if name not in ARTICLE_TABLES:
        raise ValueError(f"Unknown table {name!r}; known: {', '.join(ARTICLE_TABLES)}.")
    return _article_table(name).copy()
