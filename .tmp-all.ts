import { readTable, inspectTable, inspectFailure } from './engine/data';
import { readFileSync, readdirSync } from 'node:fs';
for (const f of readdirSync('test/fixtures/csv').sort()) {
  let r;
  try { r = inspectTable(readTable(readFileSync('test/fixtures/csv/' + f)), f); } catch (e) { r = inspectFailure(e, f); }
  console.log(`== ${f}: usable=${r.usable} enc=${r.encoding} delim=${JSON.stringify(r.delimiter)} dec=${r.decimal} header=${r.header} nl=${r.lineEnding} rows=${r.rows} cols=${r.columns.map(c=>c.name+':'+c.type[0]+':'+c.role[0]).join(' ')} target=${r.target?.task} ${r.target?.classes?.map(c=>c.label+'='+c.count).join(',') ?? ''}`);
  for (const p of r.problems) console.log(`   ${p.severity} ${p.code} L${p.line} R${p.row} C${p.column}: ${p.message}`);
}
