# syntax=docker/dockerfile:1
# Value Assist: one image for the API (gunicorn), the setup job, training, the MLflow
# tracking server and the Dask scheduler and workers, so every process of the stack runs
# the same versions of our code, MLflow, Dask and LightGBM (Dask unpickles our training
# functions on the scheduler and workers; a client and server of different versions is
# how a stack breaks on upgrade day).
#
#   docker build -t value-assist .
#   docker run -p 8000:8000 -e VALUE_ASSIST_DATABASE_URL=postgresql+psycopg://… value-assist
#
# The build stage installs everything into a virtual environment; the final stage copies
# only that environment onto a fresh slim base: no source tree, no pip cache, no apt lists.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# Dependencies first, from pyproject.toml alone, so this layer is rebuilt only when the
# dependencies change; the placeholder packages are replaced by the real ones below.
COPY pyproject.toml README.md ./
RUN for package in assist_api features models training prompts_playbooks; do \
        mkdir -p "$package" && touch "$package/__init__.py"; \
    done \
    && /opt/venv/bin/pip install --no-cache-dir . \
    && /opt/venv/bin/pip uninstall --yes value-assist
COPY assist_api ./assist_api
COPY features ./features
COPY models ./models
COPY training ./training
COPY prompts_playbooks ./prompts_playbooks
# pip compiles the bytecode here: workers start without compiling anything.
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps .

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="value-assist" \
      org.opencontainers.image.description="Real-time agent assist for value enhancement"
# LightGBM's wheel links the system's OpenMP runtime; nothing else is installed.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
# A fixed numeric uid, so volumes and Kubernetes' runAsNonRoot agree on who owns files.
RUN groupadd --system --gid 10001 va \
    && useradd --system --uid 10001 --gid va --home-dir /var/lib/value-assist \
       --create-home --shell /usr/sbin/nologin va
COPY --from=build /opt/venv /opt/venv
# The setup job (compose service `init`): migrations, playbook, history, first model.
COPY --chmod=0755 deploy/init.sh /usr/local/bin/value-assist-init
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    VALUE_ASSIST_DATA_DIR=/var/lib/value-assist
WORKDIR /var/lib/value-assist
USER 10001:10001
EXPOSE 8000
# Liveness only (the process answers); readiness (model loaded, store reachable) is
# /readyz, for the load balancer, so a worker without a model is not restarted in a loop.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["value-assist"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
