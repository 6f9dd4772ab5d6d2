#!/usr/bin/env node
// Checks the web app's message catalogues and components:
//  1. every catalogue (web/src/i18n/*.json) has the same keys, with non-empty
//     values and the same {placeholders};
//  2. every key the code uses — t('key'), and 'key' literals given to a
//     property or attribute whose name ends in "Key" (labelKey: 'nav.home') —
//     is in every catalogue;
//  3. no component (web/src/**/*.tsx) hard-codes user-visible text: JSX text
//     or string literals in JSX children with letters (Latin, CJK, Arabic, …),
//     or such literals in placeholder, title, aria-label, alt and the like.
// Prints every finding and exits 1 when there is one. Parses with the
// TypeScript compiler from web/node_modules (installed by `npm ci` in web/).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const src = join(web, 'src');
const catalogueDir = join(src, 'i18n');

let ts;
try {
  ts = createRequire(join(web, 'package.json'))('typescript');
} catch {
  console.error('check_i18n: TypeScript is not installed in web/ (run: cd web && npm ci)');
  process.exit(2);
}

const findings = [];
const report = (where, message) => findings.push(`${where}: ${message}`);
const rel = (p) => relative(root, p);

// Attributes whose string values people read or hear.
const VISIBLE_ATTRIBUTES = new Set([
  'placeholder',
  'title',
  'alt',
  'label',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
]);
// Any letter of any script; digits, punctuation and symbols alone are fine.
const HAS_LETTER = /\p{L}/u;
const PLACEHOLDER = /\{(\w+)\}/g;

// ---- 1. catalogues ----

const catalogues = new Map();
for (const name of readdirSync(catalogueDir).filter((n) => n.endsWith('.json')).sort()) {
  const path = join(catalogueDir, name);
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
    catalogues.set(name.slice(0, -'.json'.length), data);
  } catch (e) {
    report(rel(path), `cannot read catalogue: ${e.message}`);
  }
}
for (const required of ['zh-CN', 'ug', 'en']) {
  if (!catalogues.has(required)) report(rel(catalogueDir), `missing catalogue ${required}.json`);
}

const allKeys = new Set();
for (const data of catalogues.values()) for (const key of Object.keys(data)) allKeys.add(key);

const placeholders = (text) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).sort().join(',');
for (const key of [...allKeys].sort()) {
  let reference = null;
  for (const [lang, data] of catalogues) {
    const where = `web/src/i18n/${lang}.json`;
    if (!(key in data)) {
      const present = [...catalogues].filter(([, d]) => key in d).map(([l]) => l);
      report(where, `missing key "${key}" (present in ${present.join(', ')})`);
      continue;
    }
    const value = data[key];
    if (typeof value !== 'string' || value.trim() === '') {
      report(where, `key "${key}" has an empty or non-string value`);
      continue;
    }
    const p = placeholders(value);
    if (reference === null) reference = { lang, p };
    else if (p !== reference.p) {
      report(where, `key "${key}" has placeholders {${p}} but ${reference.lang} has {${reference.p}}`);
    }
  }
}

// ---- 2 and 3. source files ----

function* sourceFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|js|jsx|mjs)$/.test(name) && !/\.d\.ts$|\.test\.m?js$/.test(name)) yield path;
  }
}

const usedKeys = new Map(); // key -> first place of use

function stringValue(node) {
  if (!node) return null;
  while (ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression?.(node)) {
    node = node.expression;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return null;
}

function where(file, node) {
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${rel(file.fileName)}:${line + 1}:${character + 1}`;
}

function useKey(file, node, key) {
  if (!usedKeys.has(key)) usedKeys.set(key, where(file, node));
}

function nameOf(node) {
  if (!node) return '';
  if (ts.isIdentifier(node) || ts.isStringLiteral(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isJsxNamespacedName?.(node)) return `${node.namespace.text}:${node.name.text}`;
  return '';
}

/** String literals that a JSX expression may render, e.g. {cond ? 'a' : 'b'} or {x ?? 'c'}. */
function renderedLiterals(expr, out = []) {
  if (!expr) return out;
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) out.push(expr);
  else if (ts.isTemplateExpression(expr)) out.push(expr);
  else if (ts.isParenthesizedExpression(expr)) renderedLiterals(expr.expression, out);
  else if (ts.isConditionalExpression(expr)) {
    renderedLiterals(expr.whenTrue, out);
    renderedLiterals(expr.whenFalse, out);
  } else if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      renderedLiterals(expr.left, out);
      renderedLiterals(expr.right, out);
    } else if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      renderedLiterals(expr.right, out);
    } else if (op === ts.SyntaxKind.PlusToken) {
      renderedLiterals(expr.left, out);
      renderedLiterals(expr.right, out);
    }
  }
  return out;
}

function literalText(node) {
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((s) => s.literal.text).join('');
  }
  return node.text;
}

function checkFile(path) {
  const text = readFileSync(path, 'utf8');
  const kind = path.endsWith('.tsx') || path.endsWith('.jsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const isComponent = /\.(tsx|jsx)$/.test(path);

  const visit = (node) => {
    // t('key') and i18n.t('key')
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isT =
        (ts.isIdentifier(callee) && callee.text === 't') ||
        (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
      if (isT && node.arguments.length > 0) {
        const key = stringValue(node.arguments[0]);
        if (key !== null) useKey(file, node, key);
        else if (ts.isTemplateExpression(node.arguments[0])) {
          report(where(file, node), 't() with a built key cannot be checked; use a table of literal keys');
        }
      }
    }
    // labelKey: 'nav.home'   /   titleKey="account.title"
    if (ts.isPropertyAssignment(node) && /Key$/.test(nameOf(node.name))) {
      const key = stringValue(node.initializer);
      if (key !== null) useKey(file, node.initializer, key);
    }
    // function F({ legendKey = 'region.legend' })
    if ((ts.isBindingElement(node) || ts.isParameter(node)) && /Key$/.test(nameOf(node.name))) {
      const key = stringValue(node.initializer);
      if (key !== null) useKey(file, node.initializer, key);
    }
    if (ts.isJsxAttribute(node) && /Key$/.test(nameOf(node.name))) {
      const init = node.initializer;
      const key = init && (stringValue(init) ?? (ts.isJsxExpression(init) ? stringValue(init.expression) : null));
      if (key !== null && key !== undefined) useKey(file, node, key);
    }
    // Records typed Record<…, MessageKey> map to literal keys: { province: 'region.level.province' }.
    if (ts.isVariableDeclaration(node) && node.type && /MessageKey/.test(node.type.getText(file))) {
      const init = node.initializer;
      if (init && ts.isObjectLiteralExpression(init)) {
        for (const prop of init.properties) {
          if (ts.isPropertyAssignment(prop)) {
            const key = stringValue(prop.initializer);
            if (key !== null) useKey(file, prop.initializer, key);
          }
        }
      }
    }

    if (isComponent) {
      if (ts.isJsxText(node)) {
        const visible = node.text.replace(/\s+/g, ' ').trim();
        if (visible && HAS_LETTER.test(visible)) {
          report(where(file, node), `hard-coded text in JSX: "${visible}" (use t())`);
        }
      }
      if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
        for (const lit of renderedLiterals(node.expression)) {
          const value = literalText(lit);
          if (HAS_LETTER.test(value)) report(where(file, lit), `hard-coded text in JSX: "${value}" (use t())`);
        }
      }
      if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(nameOf(node.name).toLowerCase())) {
        const init = node.initializer;
        const literals = !init
          ? []
          : ts.isJsxExpression(init)
            ? renderedLiterals(init.expression)
            : ts.isStringLiteral(init)
              ? [init]
              : [];
        for (const lit of literals) {
          const value = literalText(lit);
          if (HAS_LETTER.test(value)) {
            report(where(file, lit), `hard-coded ${nameOf(node.name)}="${value}" (use t())`);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

let files = 0;
for (const path of sourceFiles(src)) {
  files += 1;
  checkFile(path);
}

for (const [key, place] of [...usedKeys].sort()) {
  for (const [lang, data] of catalogues) {
    if (!(key in data)) report(place, `key "${key}" is used but missing from web/src/i18n/${lang}.json`);
  }
}

const unused = [...allKeys].filter((k) => !usedKeys.has(k)).sort();
if (unused.length) {
  console.log(`check_i18n: note: ${unused.length} catalogue key(s) not referenced literally: ${unused.join(', ')}`);
}

if (findings.length) {
  console.error(`check_i18n: ${findings.length} problem(s):`);
  for (const f of findings) console.error(`  ${f}`);
  process.exit(1);
}
console.log(
  `check_i18n: ok: ${catalogues.size} catalogues × ${allKeys.size} keys, ${usedKeys.size} keys used in ${files} source files`,
);
