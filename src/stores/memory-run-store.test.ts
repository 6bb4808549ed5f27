import { runStoreContract } from '../../test/helpers/run-store-contract';
import { createMemoryRunStore } from './memory-run-store';

runStoreContract('memory', async ({ now }) => createMemoryRunStore({ _internal: { now } }));
