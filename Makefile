# Two commands for a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BOT := $(VENV)/bin/bot
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup index run test lint eval tatqa bench browser clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m index.onnx_model
	touch $@

index: setup
	$(BOT) ingest --if-needed

run: index
	$(BOT) serve

browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) \
	    apt-get install -y -qq chromium chromium-driver >/dev/null; }

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup browser lint
	$(PY) -m pytest
	$(PY) -m eval.gate

eval: index
	$(PY) -m eval.run

TATQA_DATA ?= ../shared/benchmarks/tatqa/tatqa_dataset_dev.json
tatqa: setup
	$(PY) -m eval.tatqa --data $(TATQA_DATA)

BENCH_RELEASES ?= 1000
bench: index
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/bench_ask.py
	$(PY) scripts/bench_serve.py
	$(PY) scripts/bench_corpus.py --releases $(BENCH_RELEASES)

clean:
	rm -rf var test-output
