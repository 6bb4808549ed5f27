export { createFileRunStore, type FileRunStoreOptions } from './file-run-store';
