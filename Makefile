# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# every distinct Cypher statement the test suite sends, linted as Neo4j 5 Cypher by `make test`
CYPHER_LOG := .ci-artifacts/cypher.jsonl

.PHONY: run test install lint schema clean

# pip's own output and warnings go to a log, shown only when the install fails
PIP := $(BIN)/pip install --quiet --disable-pip-version-check --no-warn-script-location
INSTALL_LOG := $(VENV)/install.log

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	@echo "installing customer-graph and its dependencies into $(VENV) (once; a few minutes on a fresh machine)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip >$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@$(PIP) -c constraints.txt -e '.[test]' >>$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@touch $(STAMP)

install: $(STAMP)

## Start the embedded graph, load the demo data set and serve GraphiQL on http://127.0.0.1:8000/graphql
## (HOST and PORT change where it listens: `make run PORT=8080`, `HOST=0.0.0.0 make run`)
run: $(STAMP)
	@echo "loading the demo: one person from three systems, one pair waiting for review (custgraph/data/demo)"
	@$(BIN)/custgraph demo load >$(VENV)/demo-load.log 2>&1 || { cat $(VENV)/demo-load.log; exit 1; }
	@$(BIN)/custgraph serve --host $${HOST:-127.0.0.1} --port $${PORT:-8000}

## Install and run the whole test suite against a real embedded graph server, then lint every Cypher
## statement the suite sent with Neo4j 5's own parser (.ci/neo4j-lint; needs node and npm)
test: $(STAMP)
	$(BIN)/ruff check custgraph tests benchmarks
	mkdir -p $(dir $(CYPHER_LOG)) && : >$(CYPHER_LOG)
	CUSTGRAPH_CYPHER_LOG=$(CURDIR)/$(CYPHER_LOG) $(BIN)/python -m pytest
	@test -s $(CYPHER_LOG) || { echo "no Cypher statement was recorded in $(CYPHER_LOG)"; exit 1; }
	.ci/neo4j-lint $(CYPHER_LOG)

lint: $(STAMP)
	$(BIN)/ruff check custgraph tests benchmarks

schema: $(STAMP)
	$(BIN)/custgraph schema export --out schema.graphql

clean:
	rm -rf $(VENV) .custgraph .ci-artifacts
