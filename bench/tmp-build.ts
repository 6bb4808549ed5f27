import { buildHotpath } from './peer/spawn';
const s = buildHotpath(process.cwd(), 'main', 'tmp'); console.log(s.tsconfig);
