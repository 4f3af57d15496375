# Svoi service image: non-root, migrations first, then the service.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN groupadd --system svoi && useradd --system --gid svoi --home-dir /app svoi

# Dependencies first (a layer that changes only with the lock): exactly the versions in
# requirements.lock, each checked against its sha256 hash, wheels only (no build step that
# could fetch unhashed build tools), nothing resolved at build time. `pip check` fails the
# build if the lock misses a dependency. Regenerate the lock as docs/deploy.md says.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps --only-binary :all: -r requirements.lock \
    && pip check

# The project itself is not pip-installed: it runs from /app, where it finds locales/,
# content/ and alembic.ini next to the packages (bot/config.py PROJECT_ROOT); an installed
# copy in site-packages would look for them there.
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
# Ready = the database answers and the schema is at the latest migration (/readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4)" || exit 1

CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]
