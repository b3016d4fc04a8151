"""How the app names its source article: by its title, with the day it was read (it carries no date of its own)."""

ARTICLE_TITLE = (
    "You Spent $3,000 Fine-Tuning a Model That a $0.02 Prompt Could Have Handled — Here's How to Know the Difference"
)
ARTICLE_READ = "2026-11-28"
#: The article as a citation: its title in quotes, undated, and when it was read.
ARTICLE_CITATION = f'the article "{ARTICLE_TITLE}" (undated; read {ARTICLE_READ})'


def article_section(section: str) -> str:
    """A source naming one of the article's sections: 'the article "..." (undated; read ...), section "Decision Tree"'."""
    return f'{ARTICLE_CITATION}, section "{section}"'
