import { readTable } from './engine/data/reader';
import { prepareDataset } from './engine/data/prepare';
const t = readTable('sep=;\r\na;b\r\n1,5;2\r\n"x\r\ny";3\r\n3,5;4\r\n', {});
console.log(t.dialect, t.lines, t.columns.map(c=>c.labels));
try { prepareDataset(readTable('a b c\n1 2 3\n4 5 6\n')); } catch (e) { console.log((e as Error).message); }
