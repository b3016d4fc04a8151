"""Check every bundled open vocabulary against its reference tokenizer, and record reference counts for the tests.

References: Hugging Face `tokenizers` on the original tokenizer.json (Llama 3.1, Qwen3, DeepSeek V4, Gemma 3) and
mistral-common's own Tekkenizer on tekken_240718.json (the files scripts/build_tokenizers.py converts). Texts: the
corpus of scripts/measure_token_ratios.py cut into 3,000-character chunks, 600 random strings mixing scripts,
digits, emoji, control characters, whitespace runs, "▁" and HTML tags, and 2,000 strings made of random
vocabulary tokens. Control-token strings (<|eot_id|>, <think>, <unused0>) are left out: the app counts them as plain
text, the reference tokenizers as one token.

    python scripts/check_tokenizers.py --llama3 PATH --qwen2 PATH --deepseek_v3 PATH --tekken_240718 PATH --gemma3 PATH
    (add --write-fixture to rewrite tests/fixtures/tokenizer_reference.json)

Needs `tokenizers` and `mistral-common` installed (not the app's requirements). Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from measure_token_ratios import corpus  # noqa: E402

from calc.tokenizers.registry import VOCABULARIES  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "tokenizer_reference.json"
PIECES = (
    " ",
    "  ",
    "   ",
    "\n",
    "\n\n",
    "\n" * 40,
    "\t",
    "\t\t",
    "\r\n",
    "a",
    "Ab",
    "ß",
    "é",
    "e\u0301",
    "ü",
    "中",
    "文",
    "あ",
    "カ",
    "ー",
    "・",
    "한",
    "1",
    "12",
    "1234",
    "٣",
    "½",
    "'s",
    "'LL",
    "!",
    "?!",
    "...",
    "—",
    "“",
    ".\n",
    "::",
    "```",
    "{",
    "}",
    '"',
    "😀",
    "👍🏽",
    "\u200b",
    "\u0301",
    "▁",
    "▁▁",
    "▁" * 35,
    "<",
    ">",
    "</",
    "<table>",
    "</td>",
    "> </",
    " x",
    "Ω",
    "\x00",
    "\x7f",
    "\u3000",
    "ｱ",
    "Ａ",
    "１",
    "\U00020000",
    "\ufeff",
    "İ",
    "ﬁ",
    " " * 33,
)
#: Texts whose reference counts the unit tests keep (tests/unit/test_tokenizers.py).
FIXTURE_TEXTS = {
    "english_few_shot": "Classify the support ticket as billing, shipping or other.\n\nTicket: My card was charged "
    "twice for order #48213.\nLabel: billing\n---\nTicket: The parcel arrived late and the box was crushed.\n"
    "Label: shipping\n---\nTicket: How do I change the e-mail address on my account?\nLabel: other\n",
    "json_schema": json.dumps(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "label": {"type": "string", "enum": ["billing", "shipping", "other"]},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "order_id": {"type": ["string", "null"], "pattern": "^[0-9]{5}$"},
            },
            "required": ["label", "confidence"],
            "additionalProperties": False,
        },
        indent=2,
    ),
    "german": "Sehr geehrte Damen und Herren, meine Bestellung Nr. 48213 ist beschädigt angekommen. Ich möchte das Geld "
    "zurück und erwarte Ihre Antwort innerhalb von 14 Tagen. Mit freundlichen Grüßen, Jürgen Weiß",
    "python": 'def total(items: list[dict]) -> float:\n    """Sum the price of every item, skipping refunds."""\n'
    "    return sum(i['price'] * i.get('qty', 1) for i in items if not i.get('refunded'))\n\n\nif __name__ == "
    "'__main__':\n    print(total([{'price': 9.99, 'qty': 3}]))\n",
    "chinese": "您好，我的订单号是48213，包裹到达时已经损坏。请问退货政策是什么？运费由谁承担？谢谢！",
    "japanese": "お問い合わせありがとうございます。担当者から折り返しご連絡します。ご注文番号：48213",
    "html": "<table>\n<tr><td>Order</td> <td>48213</td></tr>\n</table> <b>late</b> > </i>",
    "whitespace": "a  b   c\t\td\n\n\n\ne" + " " * 40 + "f" + "\n" * 35 + "g\u3000h ▁▁▁ i",
    "mixed": "Emoji 🙂👍🏽, café, naïve e\u0301, ﬁne, İstanbul, ½ + ١٢٣ = 4567890, \x00\x7f, ZWSP\u200bhere.",
}


def references(args: argparse.Namespace) -> dict:
    """name -> a function counting text with the reference tokenizer."""
    import tokenizers
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    found = {}
    for name in ("llama3", "qwen2", "deepseek_v3", "gemma3"):
        if getattr(args, name):
            hf = tokenizers.Tokenizer.from_file(str(getattr(args, name)))
            found[name] = lambda text, hf=hf: len(hf.encode(text, add_special_tokens=False).ids)
    if args.tekken_240718:
        tekken = Tekkenizer.from_file(str(args.tekken_240718))
        found["tekken_240718"] = lambda text: len(tekken.encode(text, bos=False, eos=False))
    return found


def texts(vocabulary_tokens: list[str]) -> list[tuple[str, str]]:
    rng = random.Random(30)
    found = []
    for kind, text in corpus(Path("/work/shared/seed/fine-tuning-vs-prompting.txt")).items():
        found += [(f"{kind}@{i}", text[i : i + 3000]) for i in range(0, min(len(text), 150_000), 3000)]
    found += [(f"fuzz{i}", "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 400)))) for i in range(600)]
    found += [(f"vocab{i}", "".join(rng.choice(vocabulary_tokens) for _ in range(rng.randint(1, 30)))) for i in range(2000)]
    return found + list(FIXTURE_TEXTS.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("llama3", "qwen2", "deepseek_v3", "tekken_240718", "gemma3"):
        parser.add_argument(f"--{name}", type=Path)
    parser.add_argument("--write-fixture", action="store_true")
    args = parser.parse_args()
    failures = 0
    fixture = {"texts": FIXTURE_TEXTS, "counts": {}}
    for name, reference in references(args).items():
        vocabulary = VOCABULARIES[name]
        sample = [t.decode("utf-8", "ignore") for t in list(vocabulary.encoding._mergeable_ranks)[::7]]
        checked = differ = 0
        for label, text in texts([t for t in sample if t]):
            if any(c in text for c in ("<|", "<｜", "<unused", "<think", "<tool", "<mask>", "[multimodal]")):
                continue
            ours, theirs = vocabulary.count(text), reference(text)
            checked += 1
            if ours != theirs:
                differ += 1
                if differ <= 5:
                    print(f"  {name} {label}: ours {ours}, reference {theirs}: {text[:60]!r}")
        print(f"{name}: {checked} texts, {differ} differ")
        failures += differ
        fixture["counts"][name] = {key: reference(text) for key, text in FIXTURE_TEXTS.items()}
    if args.write_fixture:
        FIXTURE.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
