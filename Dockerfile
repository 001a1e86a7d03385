# Dockerfile — Propolis on Debian 12: build with cmake in one stage, run as an unprivileged
# user in a slim one. Point it at PostgreSQL with --database (see docker-compose.yml);
# /var/lib/propolis/keys (0700, the propolis user's) is where compose keeps the master key and
# the administrator's credentials, in a named volume that takes this directory's owner.

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake make gcc libc6-dev pkg-config thrift-compiler libthrift-c-glib-dev check \
      libglib2.0-dev libjson-glib-dev libpq-dev libssl-dev libmicrohttpd-dev libcurl4-openssl-dev zlib1g-dev libkrb5-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build /build -j "$(nproc)" --target propolis-server propolis \
 && DESTDIR=/out cmake --install /build --prefix /usr/local

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libthrift-c-glib0 libglib2.0-0 libjson-glib-1.0-0 libpq5 libssl3 libmicrohttpd12 libcurl4 libgssapi-krb5-2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/propolis --create-home --shell /usr/sbin/nologin propolis \
 && install -d -o propolis -g propolis -m 0700 /var/lib/propolis/keys
COPY --from=build /out/usr/local/ /usr/local/
USER propolis
WORKDIR /var/lib/propolis
EXPOSE 9083 9084
ENTRYPOINT ["/usr/local/bin/propolis-server", "--migrations", "/usr/local/share/propolis/migrations"]
CMD ["--help"]
