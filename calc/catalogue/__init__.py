"""The data catalogue: the curated tables in data/ and the genai-prices catalogue, loaded, schema-checked and
resolved into typed, frozen records (fine-tuning options, prompting models, provider rules) with their dated statuses."""
