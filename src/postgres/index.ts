export {
  createPostgresRunStore,
  type PostgresRunStore,
  type PostgresRunStoreOptions,
} from './postgres-run-store';
