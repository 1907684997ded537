#!/bin/sh
set -e
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    printf '%s' "$POSTGRES_PASSWORD" > /tmp/pw && chown postgres /tmp/pw
    su postgres -c "initdb -D $PGDATA -U $POSTGRES_USER --pwfile=/tmp/pw --auth-host=scram-sha-256 --auth-local=trust"
    rm /tmp/pw
    echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
    su postgres -c "pg_ctl -D $PGDATA -o '-c listen_addresses=127.0.0.1' -w start"
    su postgres -c "createdb -U $POSTGRES_USER $POSTGRES_DB" || true
    su postgres -c "pg_ctl -D $PGDATA -m fast -w stop"
fi
exec su postgres -c "exec postgres -D $PGDATA -c listen_addresses='*'"
