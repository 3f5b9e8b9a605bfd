# Two commands a newcomer needs: `make demo` and `make test`. Each builds .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint venv clean

$(BIN)/value-assist: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/value-assist

demo: venv
	$(BIN)/value-assist demo

# Property tests are derandomized in CI (the `ci` Hypothesis profile): the same commit
# gives the same result on every run. `make fuzz` explores: random draws, 10x the examples.
test: venv
	$(BIN)/ruff check .
	HYPOTHESIS_PROFILE=ci PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/pytest

fuzz: venv
	HYPOTHESIS_PROFILE=fuzz PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/pytest -m "not integration and not e2e" -p no:cacheprovider $$(grep -rl --include='test_*.py' '@given' tests)

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data .pytest_cache
