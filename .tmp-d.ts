import { readTable } from './engine/data/reader';
const t = readTable('a\n0\n', { delimiter: ',', header: true, decimal: '.' });
console.log(t.rowCount, t.columns.map(c => [c.name, Array.from(c.values)]), t.problems);
