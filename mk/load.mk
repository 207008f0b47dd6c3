# Databases: load out/ into SQLite (default) or PostgreSQL; regenerate the SQL DDL in schemas/.
DB ?= sqlite:///$(OUT)/bulletins.db

.PHONY: load sql-schemas

# The same function as `python -m pipeline load OUT --db URL` (pipeline/sinks/database.py:load_command).
load: $(STAMP)  ## load out/ into a database: make load [DB=postgresql://user@host:5432/dbname]
	$(PY) -m pipeline load $(OUT) --db '$(DB)'

sql-schemas: $(STAMP)  ## regenerate schemas/sqlite.sql and schemas/postgresql.sql from pipeline/records.py
	$(PY) -m pipeline schemas schemas
