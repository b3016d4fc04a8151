"""The vocabularies bundled in data/tokenizers/, one module per family, by name."""

from calc.tokenizers.deepseek import DEEPSEEK_V3
from calc.tokenizers.gemma import GEMMA3
from calc.tokenizers.llama3 import LLAMA3
from calc.tokenizers.mistral import TEKKEN
from calc.tokenizers.openai import CL100K, O200K
from calc.tokenizers.qwen import QWEN2
from calc.tokenizers.vocabulary import Vocabulary

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in (O200K, CL100K, LLAMA3, QWEN2, DEEPSEEK_V3, TEKKEN, GEMMA3)}
