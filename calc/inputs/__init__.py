"""What users bring, parsed and checked: share links (query strings), pasted prompts (token counts) and training files."""
