"""Where records go: JSONL files (always), databases (pipeline.sinks.database)."""
