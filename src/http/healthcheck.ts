// The container's HEALTHCHECK (Dockerfile): exits 0 when this host's gateway answers /readyz
// with 200, 1 otherwise (not listening, draining, or no answer within 2 s). It runs as its own
// short process, so it reads only PORT.

const port = process.env.PORT?.trim() || '4000';
fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
