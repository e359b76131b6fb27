"""linekit: the LINE side of planbot, for tests, the replay and the benchmark.

- `linekit.limits`: LINE's message limits and its UTF-16 length (the bot imports these too);
- `linekit.signing`: the `X-Line-Signature` a webhook request carries;
- `linekit.events`: webhook event JSON shaped like LINE's (sources, messages, mentions, bodies);
- `linekit.fake`: a fake Messaging API platform on 127.0.0.1 (`python -m linekit.fake`);
- `linekit.replay`: whole conversations replayed against the webhook (`python -m linekit.replay`).

Nothing here imports the bot: the bot, `tests/` and `bench/` import linekit, never the reverse.
"""
