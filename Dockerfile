# syntax=docker/dockerfile:1
# taskhub: one image for the API, the Temporal worker and the migration step
# (docker-compose.yml picks the process with `command`).
#
# Debian bookworm (glibc) rather than Alpine: @temporalio/core-bridge ships no
# musl build. Both stages use the same base so native modules built or
# selected in `build` match the runtime.

# ---- build: full dependency tree, compile TypeScript and the dashboard, then drop dev deps ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The `node` devDependency (the npm-packaged Node 24 binary) is installed here
# too; it is harmless and pruned below with the other dev dependencies.
# `npm install --no-save` rather than `npm ci`: npm 11 omits other platforms' optional
# binaries from the lock and `ci` then refuses it; this keeps the locked versions.
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-save --no-audit --no-fund
COPY . .
# `npm run build` also builds the dashboard (web/ -> dist/web/, scripts/build-web.sh) with the
# front-end devDependencies, before they are pruned; the runtime serves it from dist/web.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled output and production node_modules only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Application files stay owned by root (read-only for the app user); only the
# data directory is writable.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
