// hotpath/postgres: the PostgreSQL run store, on `pg` (an optional peer imported only here).
export {
  createPostgresRunStore,
  type PostgresRunStore,
  type PostgresRunStoreOptions,
} from './postgres/index';
