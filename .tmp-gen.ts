import { run } from './bench/suites/data';
await run(['--rows', '300000', '--keep']);
