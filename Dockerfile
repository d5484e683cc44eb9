# syntax=docker/dockerfile:1
# --- build: compile native modules and TypeScript
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# --- runtime: only what the server needs, as a non-root user
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    STORAGE_ROOT=/app/data \
    LOG_DIR=/app/logs \
    APP_HOST=0.0.0.0
WORKDIR /app
RUN groupadd --system myfsio && useradd --system --gid myfsio --home /app myfsio \
    && mkdir -p /app/data /app/logs && chown -R myfsio:myfsio /app
COPY --from=build --chown=myfsio:myfsio /src/node_modules ./node_modules
COPY --from=build --chown=myfsio:myfsio /src/dist ./dist
COPY --from=build --chown=myfsio:myfsio /src/bin ./bin
COPY --from=build --chown=myfsio:myfsio /src/package.json ./package.json
USER myfsio
VOLUME ["/app/data", "/app/logs"]
EXPOSE 5000 5100
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.APP_PORT||5000)+'/myfsio/health',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
ENTRYPOINT ["node", "bin/myfsio.js"]
