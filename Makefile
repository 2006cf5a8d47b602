# duty-lists — the two commands a new user needs: `make run` and `make test`.
# Everything installs into .venv from the package registries; only python3 is assumed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
JOBS   ?= 2

.PHONY: run test lock lint bench raw-pdf raw-docx fixtures report-shot serve-shot golden-check clean

# Exactly the versions in requirements.lock, checked against its hashes, and nothing
# else (--no-deps: the lock is complete); then duty-lists itself, built with the
# locked setuptools. A changed lock or pyproject.toml reinstalls.
$(STAMP): requirements.lock pyproject.toml
	rm -f $(STAMP)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## lock: re-resolve requirements.lock from pyproject.toml (uv, in a throwaway venv), newest versions
# One version of each package for every supported Python (3.10-3.13: --fork-strategy
# fewest), with the hashes of all its files; setuptools for building duty-lists itself;
# opencv-python left out (rapidocr-onnxruntime asks for it; opencv-python-headless is
# the same cv2 without libGL).
UV_VERSION := 0.13.9
LOCK_VENV  := build/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	echo 'setuptools>=68' | $(LOCK_VENV)/bin/uv pip compile pyproject.toml - --extra dev --extra dask --extra ocr --extra web \
		--universal --python-version 3.10 --fork-strategy fewest --generate-hashes \
		--no-emit-package opencv-python --index-url https://pypi.org/simple \
		--custom-compile-command 'make lock' --quiet -o requirements.lock
	rm -rf $(LOCK_VENV)

## run: set up, then parse every document in raw/ into out/
run: $(STAMP)
	$(BIN)/duty-lists run raw/ --out $(OUT) --jobs $(JOBS)
	@echo "Results: $(OUT)/<document>/lists.xlsx (Excel) and report.html. For the page in a browser:"
	@echo "  $(BIN)/duty-lists serve      # then open http://127.0.0.1:8000/"

## test: set up, then run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: ruff, then mypy over the package as it installs (tools/typecheck.py; settings in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python tools/typecheck.py

## bench: speed and memory ratios measured side by side in one run
bench: $(STAMP)
	$(BIN)/python tools/bench.py

## raw-pdf: rebuild the Shahe PDF in raw/ from its published text form
raw-pdf: $(STAMP)
	$(BIN)/python tools/build_shahe_pdf.py

## raw-docx: write the Shahe lists as a DOCX in raw/ and export it to PDF with LibreOffice (needs soffice)
raw-docx: $(STAMP)
	$(BIN)/python tools/build_shahe_docx.py --pdf

## fixtures: regenerate the fictional towns' test documents
fixtures: $(STAMP)
	$(BIN)/python tests/fixtures/build_fixtures.py
	$(BIN)/python tests/fixtures/build_pdf_fixtures.py

## golden-check: the golden Shahe dataset is what its derivation script gives
golden-check: $(STAMP)
	$(BIN)/python tests/golden/derive_shahe_golden.py --check

## report-shot: render a sample report and screenshot it in headless Chromium
report-shot: $(STAMP)
	$(BIN)/python tools/screenshot_report.py $(OUT)/report-shot

## serve-shot: screenshot duty-lists serve with the Shahe PDF checked (needs chromium, chromium-driver, a CJK font)
serve-shot: $(STAMP)
	$(BIN)/python tools/screenshot_serve.py docs/serve-shahe.png

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .mypy_cache build/typecheck
