/**
 * Structural checks of an OpenAPI 3.1 document, without a validator package: the shape of
 * paths, operations, parameters and responses, unique operation ids, security requirements
 * that name a declared scheme, every `$ref` resolving inside the document, and no 3.0-only
 * `nullable`. Returns one message per violation, so a test can expect `[]` and read the rest.
 */
// biome-ignore lint/suspicious/noExplicitAny: walks an arbitrary JSON document.
type Json = any;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_KEYS = new Set([...METHODS, 'parameters', 'summary', 'description', 'servers', '$ref']);
const PARAM_IN = new Set(['path', 'query', 'header', 'cookie']);
const STATUS = /^([1-5]\d\d|[1-5]XX|default)$/;

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a local JSON pointer (`#/a/b`) against the document, or `undefined`. */
function resolve(doc: Json, ref: string): Json {
  if (!ref.startsWith('#/')) return undefined;
  let at = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(at) || !(key in at)) return undefined;
    at = at[key];
  }
  return at;
}

function walk(node: Json, where: string, visit: (node: Record<string, Json>, where: string) => void) {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) walk(n, `${where}/${i}`, visit);
  } else if (isObject(node)) {
    visit(node, where);
    for (const [k, v] of Object.entries(node))
      walk(v, `${where}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, visit);
  }
}

function checkOperation(doc: Json, path: string, method: string, op: Json, out: string[]) {
  const at = `${method.toUpperCase()} ${path}`;
  if (typeof op.operationId !== 'string') out.push(`${at}: operationId missing`);
  if (
    op.tags !== undefined &&
    !(Array.isArray(op.tags) && op.tags.every((t: unknown) => typeof t === 'string'))
  )
    out.push(`${at}: tags must be strings`);
  if (!isObject(op.responses) || Object.keys(op.responses).length === 0) out.push(`${at}: no responses`);
  for (const [status, res] of Object.entries<Json>(op.responses ?? {})) {
    if (!STATUS.test(status)) out.push(`${at}: response key ${status} is not a status`);
    if (typeof res.description !== 'string') out.push(`${at} ${status}: description missing`);
    for (const [type, media] of Object.entries<Json>(res.content ?? {}))
      if (!isObject(media.schema)) out.push(`${at} ${status} ${type}: schema missing`);
  }
  const params: Json[] = op.parameters ?? [];
  const seen = new Set<string>();
  for (const p of params) {
    if (typeof p.name !== 'string' || !PARAM_IN.has(p.in)) out.push(`${at}: malformed parameter`);
    if (!isObject(p.schema) && !isObject(p.content)) out.push(`${at}: parameter ${p.name} has no schema`);
    if (p.in === 'path' && p.required !== true) out.push(`${at}: path parameter ${p.name} not required`);
    if (seen.has(`${p.in}:${p.name}`)) out.push(`${at}: parameter ${p.name} declared twice`);
    seen.add(`${p.in}:${p.name}`);
  }
  const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const declared = params
    .filter((p) => p.in === 'path')
    .map((p) => p.name)
    .sort();
  if (JSON.stringify(templated) !== JSON.stringify(declared))
    out.push(`${at}: path parameters ${declared} do not match the template ${templated}`);
  if (
    op.requestBody !== undefined &&
    !(isObject(op.requestBody.content) && Object.keys(op.requestBody.content).length)
  )
    out.push(`${at}: requestBody without content`);
  for (const req of op.security ?? [])
    for (const scheme of Object.keys(req))
      if (!doc.components?.securitySchemes?.[scheme]) out.push(`${at}: unknown security scheme ${scheme}`);
}

export function openApi31Problems(doc: Json): string[] {
  const out: string[] = [];
  if (typeof doc?.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) out.push('openapi is not 3.1.x');
  if (typeof doc?.info?.title !== 'string' || typeof doc?.info?.version !== 'string')
    out.push('info.title and info.version are required');
  if (!isObject(doc?.paths)) return [...out, 'paths missing'];
  const ids = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    if (!path.startsWith('/')) out.push(`path ${path} does not start with /`);
    for (const key of Object.keys(item))
      if (!PATH_ITEM_KEYS.has(key)) out.push(`${path}: unknown key ${key}`);
    for (const method of METHODS.filter((m) => item[m])) {
      checkOperation(doc, path, method, item[method], out);
      const id = item[method].operationId;
      if (ids.has(id)) out.push(`operationId ${id} is not unique`);
      ids.add(id);
    }
  }
  for (const req of doc.security ?? [])
    for (const scheme of Object.keys(req))
      if (!doc.components?.securitySchemes?.[scheme]) out.push(`unknown security scheme ${scheme}`);
  for (const [name, schema] of Object.entries<Json>(doc.components?.schemas ?? {}))
    if (!isObject(schema)) out.push(`components.schemas.${name} is not a schema`);
  walk(doc, '#', (node, where) => {
    if (typeof node.$ref === 'string' && resolve(doc, node.$ref) === undefined)
      out.push(`${where}: $ref ${node.$ref} does not resolve`);
    if (typeof node.nullable === 'boolean') out.push(`${where}: nullable is OpenAPI 3.0, not 3.1`);
  });
  return out;
}
