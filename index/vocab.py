"""Every Thai (and English) word table the bot uses, in one place.

The parser, the owner names, the tokenizer, question understanding and the benchmark's plan
generator all read their words from here, so a new word is added once. Tables only: the code
that uses them lives with its concern.
"""

from __future__ import annotations

# --- section kinds and heading words (parser, understanding) -----------------------------

# --- offices and schools (owner names) ----------------------------------------------------

# --- domain terms (tokenizer) -------------------------------------------------------------

# --- page noise, signatures and contacts (parser) -----------------------------------------

# --- question words: intents, follow-ups, fillers (understanding) ------------------------
