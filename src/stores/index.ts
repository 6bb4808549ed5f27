export { createMemoryRunStore, type MemoryRunStoreOptions } from './memory-run-store';
export type {
  AppendOptions,
  CachedUnit,
  ItemRow,
  ItemRowOwn,
  ItemsEntry,
  JournalEntry,
  LeaseResult,
  MapEntry,
  RunEndEntry,
  RunStartEntry,
  RunStore,
  RunSummary,
  StoredRunStatus,
  UnitEntry,
} from './run-store';
