# Transformers Lunch & Learn: the single entry point.
#   make lab        set everything up, then open the course in JupyterLab
#   make test       set everything up, then run the whole test suite
#   make unit       the fast unit tests (no notebooks)
#   make notebooks  re-execute and save every notebook
#   make assets     fetch and prepare the offline assets alone
#   make slides     build offline reveal.js decks into build/slides/
# Conda users: create the environment from environment.yml, activate it, then
#   make assets PY=python   (and the same PY=python for the other targets)

PYTHON3 ?= python3
PY ?= .venv/bin/python
NOTEBOOKS := $(shell find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)
# Every Python process of the test run (pytest, nbval, each kernel) runs offline.
OFFLINE := PYTHONPATH=$(CURDIR)/tests/offline HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	--durations=10

.PHONY: setup assets lab test unit lint notebooks format clean slides slides-talk bench \
	bench-cuda nbval nbval-other-cpu determinism browser decks check-decks fresh-clone-check

setup:
	@command -v $(PYTHON3) >/dev/null 2>&1 || { echo "set-up stopped: $(PYTHON3) was not found: install Python 3.11+." >&2; exit 1; }
	@if [ "$(PY)" = ".venv/bin/python" ]; then $(PYTHON3) scripts/bootstrap.py; fi
	@$(MAKE) --no-print-directory assets

assets:
	@test -x "$(PY)" || command -v "$(PY)" >/dev/null 2>&1 || { echo "set-up stopped: $(PY) was not found: run \`make setup\` first." >&2; exit 1; }
	$(PY) scripts/prepare_assets.py

# LAB_ARGS passes options to JupyterLab, e.g. make lab LAB_ARGS="--no-browser --port=8899"
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: setup
	$(PY) -m jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR) $(LAB_ARGS) notebooks/00_start_here.ipynb

# The stages in order, stopping at the first that fails; each prints its wall
# time ("stage NAME: N s"), the figures the README's table of stage times gives.
STAGES := lint unit nbval nbval-other-cpu determinism browser decks
test: setup
	@total=$$(date +%s); for stage in $(STAGES); do start=$$(date +%s); \
		$(MAKE) --no-print-directory $$stage || exit 1; \
		echo "stage $$stage: $$(( $$(date +%s) - start )) s"; done; \
		echo "make test: every stage passed in $$(( $$(date +%s) - total )) s"

# Every notebook re-executed offline and compared with its saved outputs. The
# lessons' live training cells load the models the unit tests trained into the
# model cache (COURSE_REUSE_TRAINED=1: each model is trained once per test run;
# those outputs depend on the CPU and are not compared); nbval-other-cpu, the
# determinism check and the browser suite train them live, quick.
nbval:
	COURSE_REUSE_TRAINED=1 $(OFFLINE) $(PY) -m pytest -q $(NBVAL) $(NOTEBOOKS)

# The training lessons once more, as another CPU would run them: MKL's
# COMPATIBLE code path (it changes trained weights, not random streams), quick
# training, an empty model cache. Every output that depends on trained weights
# must be marked (tests/nbval_sanitize.cfg lists them), so a new unmarked one
# fails here, before a machine with another CPU finds it.
TRAINING_LESSONS := notebooks/part1_background/03_rnn_seq2seq.ipynb \
	notebooks/part1_background/06_transformer.ipynb \
	notebooks/part2_encoders_decoders/01_encoders.ipynb \
	notebooks/part2_encoders_decoders/02_decoders.ipynb
nbval-other-cpu:
	cache=$$(mktemp -d) && MKL_CBWR=COMPATIBLE COURSE_QUICK=1 COURSE_MODEL_CACHE=$$cache \
		$(OFFLINE) $(PY) -m pytest -q -p no:cacheprovider $(NBVAL) $(TRAINING_LESSONS); \
		status=$$?; rm -rf $$cache; exit $$status

# Each training lesson executed twice (quick mode, fresh kernels, empty model
# caches) and its text outputs compared: a seeding mistake shows before
# anything is saved.
determinism:
	$(OFFLINE) $(PY) scripts/check_determinism.py

# Every notebook in JupyterLab in headless Chromium, offline, COURSE_QUICK=1:
# run all, no errors, every widget reacts to its controls, shows one view (its
# static picture hidden), offers only valid choices, and the notebook's 'take
# "X" instead of "Y"' can be followed; bertviz draws on the first run. The felt
# latency of each control goes to build/browser/latency.json (`python
# scripts/bench.py --only felt-latency` puts it in benchmarks/RESULTS.md).
# Screenshots in build/browser/. Fails naming what to install when
# Chromium is missing.
browser:
	$(PY) -m pytest -p no:cacheprovider -q -s tests/browser/test_lab.py

# Decks built from scratch, then a copy of the folder opened offline in headless
# Chromium (it must work wherever it is copied); screenshots in
# build/slides/screenshots/. Only the notebooks whose deck needs a fresh run
# (bertviz's `third-party-output` cells, stripped before commit) are executed,
# quick: nbval proves every other saved notebook equals a fresh run.
decks:
	rm -rf build/slides
	COURSE_QUICK=1 $(OFFLINE) $(PY) scripts/build_slides.py --execute-needed
	$(OFFLINE) $(PY) scripts/build_slides.py --talk
	$(PY) scripts/check_decks.py --copied

# The deck check alone, on whatever `make slides` / `make slides-talk` built.
check-decks:
	$(PY) scripts/check_decks.py

# Before a release (not in CI, which is already a fresh clone): clone HEAD into
# an empty folder and run `make lab` and `make test` there.
fresh-clone-check:
	scripts/fresh_clone_check.sh

unit:
	$(PY) -m pytest -q -p no:cacheprovider --disable-socket --allow-unix-socket tests

lint:
	$(PY) -m ruff check utils tests scripts notebooks
	$(PY) -m ruff format --check utils tests scripts notebooks

format:
	$(PY) -m ruff format utils tests scripts notebooks
	$(PY) -m ruff check --fix utils tests scripts notebooks

notebooks:
	@for nb in $(NOTEBOOKS); do \
		echo "executing $$nb"; \
		$(OFFLINE) $(PY) -m jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.timeout=900 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
		$(PY) scripts/set_notebook_metadata.py "$$nb"; \
		$(PY) scripts/strip_third_party.py "$$nb"; \
	done

# Measured figures into benchmarks/RESULTS.md (minutes; not part of CI).
bench: setup
	$(PY) scripts/bench.py

# On a machine with a CUDA GPU: the same models and training lessons there, then
# benchmarks/RESULTS_CUDA.md (against benchmarks/cpu_reference.json, made here
# with `scripts/bench_cuda.py measure --only notebooks`). Not part of CI.
bench-cuda: setup
	$(PY) scripts/bench_cuda.py measure --out build/bench-cuda
	$(PY) scripts/bench_cuda.py render build/bench-cuda/cuda.json --cpu benchmarks/cpu_reference.json

# Offline reveal.js decks in build/slides/, self-contained: the libraries they
# need are copied from node_modules/ into build/slides/lib/. One deck:
#   .venv/bin/python scripts/build_slides.py notebooks/part1_background/05_attention.ipynb
#   .venv/bin/python scripts/build_slides.py --talk part1
slides: setup
	$(OFFLINE) $(PY) scripts/build_slides.py --execute

slides-talk: setup
	$(OFFLINE) $(PY) scripts/build_slides.py --talk

clean:
	rm -rf build .pytest_cache .ruff_cache
