# Svoi service image: non-root, migrations first, then the service.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN groupadd --system svoi && useradd --system --gid svoi --home-dir /app svoi

# Dependencies first (a layer that changes only with pyproject.toml); the code runs from
# /app itself, where it finds locales/, content/ and alembic.ini next to the packages.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

COPY alembic.ini ./
COPY bot ./bot
COPY handlers ./handlers
COPY dialogs ./dialogs
COPY storage ./storage
COPY locales ./locales
COPY content ./content
RUN mkdir -p /app/var && chown svoi:svoi /app/var

USER svoi
ENV HTTP_HOST=0.0.0.0 HTTP_PORT=8080 LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)" || exit 1

CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]
