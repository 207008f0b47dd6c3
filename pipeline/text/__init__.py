"""Pure text utilities shared by the stages above them (segments of an article)."""
