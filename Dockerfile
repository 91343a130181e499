# Jobbers backend image: one image for jobbers_manager, jobbers_worker, jobbers_scheduler,
# jobbers_cleaner, jobbers_migrate and jobbers_openapi (see docker-compose.yaml).
#
#   docker build -t jobbers .
#   docker run --rm -p 8000:8000 -e REDIS_URL=redis://host:6379 jobbers jobbers_manager /app/examples/tasks.ts

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:20-slim AS build
WORKDIR /app
# Manifests first so the dependency layer is cached across source edits. The frontend manifest is
# needed because it is a workspace in the root lockfile; --workspaces=false skips installing it.
COPY package.json package-lock.json ./
COPY frontend/package.json frontend/package.json
RUN npm ci --workspaces=false
COPY tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY src src
RUN npm run build

# ---- runtime: production dependencies + compiled output ----
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY frontend/package.json frontend/package.json
# tsx is a production dependency: task modules may be TypeScript (e.g. /app/examples/tasks.ts).
RUN npm ci --omit=dev --workspaces=false && npm cache clean --force
COPY --from=build /app/dist dist
COPY bin bin
# The example task module imports the library from ../src (through tsx), as in the repository.
COPY src src
COPY examples examples
# Put every package.json "bin" entry on PATH (jobbers_manager, jobbers_worker, ...), like a global
# install, without a second copy of the package: /usr/local/bin/<name> -> /app/<file>.
RUN node -e "const fs = require('node:fs'); \
  for (const [name, file] of Object.entries(require('./package.json').bin)) { \
    const target = require('node:path').resolve(file); fs.chmodSync(target, 0o755); \
    fs.rmSync('/usr/local/bin/' + name, { force: true }); fs.symlinkSync(target, '/usr/local/bin/' + name); }"
# The manager listens here (HOST/PORT); the other processes need no port.
EXPOSE 8000
CMD ["jobbers_manager", "/app/examples/tasks.ts"]
