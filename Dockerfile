# Pacer's image: `pacer serve` by default; `pacer migrate` and `pacer clock` are the other entry
# commands (compose.yaml runs all three). Two stages: the first installs Pacer into a venv, the
# second copies only that venv onto a clean base, so no pip cache, build files or sources ship.
# PYTHON_IMAGE: the base of both stages (a mirror's copy of python:3.11-slim, for example).
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/pacer
WORKDIR /src
COPY . .
# Every dependency ships wheels for this platform: no compiler is needed, even here. pip itself
# leaves the venv once Pacer is in it.
RUN /opt/pacer/bin/pip install . \
    && /opt/pacer/bin/pacer --help > /dev/null \
    && /opt/pacer/bin/pip uninstall -y -q pip setuptools

FROM ${PYTHON_IMAGE}
# A user of its own, without a login shell or password: nothing in the container runs as root.
RUN useradd --uid 10001 --user-group --no-log-init --home-dir /var/lib/pacer --create-home \
        --shell /usr/sbin/nologin pacer
COPY --from=build /opt/pacer /opt/pacer
ENV PATH=/opt/pacer/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=3000
USER pacer
WORKDIR /var/lib/pacer
EXPOSE 3000
# GET /healthz: 200 when the database answers, 503 otherwise (bot/server.py). The clock and the
# migration don't serve HTTP: compose.yaml turns the check off for them.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
CMD ["pacer", "serve"]
