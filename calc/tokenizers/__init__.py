"""Every model's own tokens: exact counts where a vocabulary ships in data/tokenizers/, calibrated estimates elsewhere.

>>> from calc.tokenizers import count
>>> count("Der Kunde möchte die Bestellung stornieren.", "groq:llama-3.1-8b-instant").describe()
'11 Llama 3 tokens (exact)'
>>> count("The quarterly report shows revenue up 12%.", "anthropic:claude-sonnet-5").describe()
'estimate: 14-16 Claude tokens'
"""

from calc.tokenizers.count import TokenCount, count, count_with, vocabulary_count
from calc.tokenizers.models import ModelTokenizer, tokenizer_for
from calc.tokenizers.registry import VOCABULARIES

__all__ = ["VOCABULARIES", "ModelTokenizer", "TokenCount", "count", "count_with", "tokenizer_for", "vocabulary_count"]
