# A stand-in for python:3.11-slim where Docker Hub is out of reach: Debian bookworm's Python 3.11
# at the same path (/usr/local/bin/python), trusting this VM's egress CA for PyPI.
FROM pacer-local/bookworm-py:base
COPY certs/ /usr/local/share/ca-certificates/
RUN update-ca-certificates && ln -s /usr/bin/python3.11 /usr/local/bin/python \
    && ln -s /usr/bin/python3.11 /usr/local/bin/python3 && apt-get clean
ENV LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
