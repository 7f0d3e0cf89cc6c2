// zoho-sdk-keys.mjs cuts, from the key map each of Zoho's JavaScript SDKs
// ships (json_details.json: for every model class, the JSON key of each
// member, its type, and for an interface the classes it may be), the
// classes the SDKs parse the sandbox's answers into, and writes them to
// pkg/zohoterritory/zohoterritorytest/testdata/zoho-sdk/, where the
// sandbox's test TestAnswersFitZohoSDKKeyMaps reads them without Node.
//
// The classes are those reachable from the response and action handlers of
// the operations the sandbox serves (users, territories, territory_users,
// users_territories, org): the handlers' classes, and the classes their
// members name (structure_name, sub_type), transitively. Each member keeps
// what parsing uses: name, type, structure_name, sub_type, keys, values,
// required_for and required.
//
// Usage: node interop/zoho-sdk-keys.mjs [--check]
//
//   (none)   write the files from interop/node_modules
//   --check  exit 1 when a committed file differs from what the pinned
//            packages ship (make interop runs this)
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "pkg/zohoterritory/zohoterritorytest/testdata/zoho-sdk");

const sdks = [
  { pkg: "@zohocrm/nodejs-sdk-8.0", path: "lib/config/json_details.json", out: "nodejs-sdk-8.0.json" },
  { pkg: "@zohocrm/typescript-sdk-8.0", path: "dist/config/json_details.json", out: "typescript-sdk-8.0.json" },
];

// The handlers of the SDK operations the sandbox serves.
const roots = [
  "core/com/zoho/crm/api/org/response_handler",
  "core/com/zoho/crm/api/users/response_handler",
  "core/com/zoho/crm/api/territories/response_handler",
  "core/com/zoho/crm/api/territories/action_handler",
  "core/com/zoho/crm/api/territory_users/response_handler",
  "core/com/zoho/crm/api/territory_users/action_handler",
  "core/com/zoho/crm/api/users_territories/response_handler",
  "core/com/zoho/crm/api/users_territories/action_handler",
];

const memberFields = ["name", "type", "structure_name", "sub_type", "keys", "values", "required_for", "required"];
const keyFields = ["name", "type", "required_for", "required"];

const pick = (obj, fields) => {
  const out = {};
  for (const f of fields) if (obj[f] !== undefined) out[f] = obj[f];
  return out;
};

// sorted returns v with every object's keys sorted, for a stable file.
const sorted = (v) => {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sorted(v[k]);
    return out;
  }
  return v;
};

function trim(details) {
  const out = {};
  const queue = [...roots];
  const refs = (v, acc) => {
    if (typeof v === "string" && details[v]) acc.push(v);
    else if (v && typeof v === "object") for (const x of Object.values(v)) refs(x, acc);
    return acc;
  };
  while (queue.length) {
    const name = queue.shift();
    if (out[name]) continue;
    const cls = details[name];
    if (!cls) throw new Error(`no class ${name} in json_details.json`);
    if (cls.interface) {
      out[name] = { interface: true, classes: cls.classes };
      queue.push(...cls.classes);
      continue;
    }
    const members = {};
    for (const [m, d] of Object.entries(cls)) {
      const t = pick(d, memberFields);
      if (t.keys) t.keys = t.keys.map((k) => pick(k, keyFields));
      members[m] = t;
      if (d.structure_name) queue.push(d.structure_name);
      queue.push(...refs(d.sub_type, []));
    }
    out[name] = members;
  }
  return out;
}

const check = process.argv[2] === "--check";
if (process.argv.length > 3 || (process.argv[2] && !check)) {
  console.error("usage: node interop/zoho-sdk-keys.mjs [--check]");
  process.exit(2);
}
let differ = 0;
mkdirSync(outDir, { recursive: true });
for (const sdk of sdks) {
  const dir = join(root, "interop/node_modules", sdk.pkg);
  const version = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  const details = JSON.parse(readFileSync(join(dir, sdk.path), "utf8"));
  const doc = sorted({
    _source: `cut by interop/zoho-sdk-keys.mjs from ${sdk.pkg} ${version}, ${sdk.path}; do not edit`,
    package: sdk.pkg,
    version,
    path: sdk.path,
    roots,
    classes: trim(details),
  });
  const text = JSON.stringify(doc, null, 1) + "\n";
  const file = join(outDir, sdk.out);
  if (!check) {
    writeFileSync(file, text);
    console.log(`wrote ${file.slice(root.length + 1)}: ${Object.keys(doc.classes).length} classes of ${sdk.pkg} ${version}`);
    continue;
  }
  let committed = "";
  try {
    committed = readFileSync(file, "utf8");
  } catch {
    // missing: it differs
  }
  if (committed !== text) {
    differ++;
    console.log(`FAIL  ${file.slice(root.length + 1)} differs from what ${sdk.pkg} ${version} ships (${sdk.path}); run node interop/zoho-sdk-keys.mjs and commit the result`);
  } else {
    console.log(`ok    ${file.slice(root.length + 1)} = ${sdk.pkg} ${version} ${sdk.path} (${Object.keys(doc.classes).length} classes)`);
  }
}
process.exit(differ ? 1 : 0);
