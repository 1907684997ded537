# A stand-in for postgres:16 where Docker Hub is out of reach: Debian's PostgreSQL 15 with the
# official image's POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and data directory.
FROM pacer-local/python:3.11-slim
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        postgresql-15 && apt-get clean && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/entrypoint.sh
EXPOSE 5432
CMD ["/usr/local/bin/entrypoint.sh"]
