# The dashboard in a container: a slim Python, a non-root user, only what the app needs (Debian's chromium,
# which kaleido uses to draw the briefing's pictures), a health check on Streamlit's own endpoint, and the
# seminar store (SQLite by default) on a volume. With DATABASE_URL set, replicas share one PostgreSQL instead.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# chromium for the deck and PNG pictures (kaleido); fonts-liberation so chart text has Arial's metrics.
# Debian's security updates replace exact versions, so they are not pinned: the base image's tag pins the release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin dashboard
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=dashboard:dashboard .streamlit/ .streamlit/
COPY --chown=dashboard:dashboard dashboard/ dashboard/
COPY --chown=dashboard:dashboard data/ data/

# The seminar store's SQLite file lives in var/ (core: dashboard/store/schema.py): keep it on a volume.
RUN mkdir -p /app/var && chown dashboard:dashboard /app/var
VOLUME ["/app/var"]

USER dashboard
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"]
CMD ["streamlit", "run", "dashboard/app.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
