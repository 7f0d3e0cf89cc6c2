// relay.mjs holds what both SDK drivers (run.mjs, territories.mjs) put
// between Zoho's SDK and the sandbox: a relay that forwards every request
// as it came and records each CRM exchange, and how a failure is told.

import http from "node:http";

// header returns a header's value from Node's raw [name, value, ...] list.
export const header = (raw, name) => {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === name) return raw[i + 1];
  return undefined;
};

// startRelay listens on 127.0.0.1 and forwards every request to upstream
// (a URL). It records each call under /crm/ in exchanges, in order, and
// gives every other one to other(req, upRes, body) (the token endpoint's,
// say) before the answer goes back. It returns the server, its base URL
// and the exchanges.
export async function startRelay(upstream, other = () => {}) {
  const exchanges = [];
  const relay = http.createServer((req, res) => {
    const reqChunks = [];
    req.on("data", (c) => reqChunks.push(c));
    req.on("end", () => {
      const reqBody = Buffer.concat(reqChunks);
      const headers = { ...req.headers, host: upstream.host };
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (upRes) => {
          const chunks = [];
          upRes.on("data", (c) => chunks.push(c));
          upRes.on("end", () => {
            const body = Buffer.concat(chunks);
            if (req.url.startsWith("/crm/")) {
              exchanges.push({ method: req.method, url: req.url, reqHeaders: req.rawHeaders, reqBody: reqBody.toString("utf8"),
                status: upRes.statusCode, resHeaders: upRes.rawHeaders, body: body.toString("utf8") });
            } else {
              other(req, upRes, body);
            }
            res.writeHead(upRes.statusCode, upRes.rawHeaders);
            res.end(body);
          });
        },
      );
      up.on("error", (err) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`relay: ${err.message}`);
      });
      up.end(reqBody);
    });
  });
  await new Promise((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return { relay, base: `http://127.0.0.1:${relay.address().port}`, exchanges };
}

// describe tells an SDK's exception on one line: its code, message,
// details and cause, or its stack.
export function describe(err) {
  if (err && err.code !== undefined) return `${err.code}: ${err.message ?? ""}${err.details ? ` ${JSON.stringify(err.details)}` : ""}${err.cause ? ` (${err.cause})` : ""}`;
  return String(err && err.stack ? err.stack : err);
}
