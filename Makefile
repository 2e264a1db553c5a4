# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export IGA_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test bench sample-data clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: the dashboard on http://localhost:8501 (first start loads the sample data)
run: $(VENV)/.runtime
	$(PY) -m iga_data seed
	$(PY) -m streamlit run app.py

## test: the whole suite (the browser test runs when chromium is installed)
test: $(VENV)/.dev
	$(PY) -m pytest

## bench: national-scale benchmark (31,719 innovations), see docs/PERFORMANCE.md
bench: $(VENV)/.runtime
	$(PY) -m iga_data bench

## sample-data: rebuild sample_data/ from tools/make_sample_data.py
sample-data: $(VENV)/.runtime
	$(PY) tools/make_sample_data.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
