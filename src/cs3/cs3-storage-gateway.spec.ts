import { startCs3Double } from '../../test/support/cs3-double';
import { credentialsFor, cs3StorageFor, type Cs3Storage } from '../../test/support/cs3-storage';
import { describeStorageContract } from '../../test/support/storage-contract';

describeStorageContract('cs3 (gateway double)', async () => {
  const double = await startCs3Double();
  const opened: Cs3Storage[] = [];
  const open = () => {
    const adapter = cs3StorageFor(double);
    opened.push(adapter);
    return adapter.storage;
  };
  const folder = { resourceId: await double.createFolder('/docs') };
  return {
    storage: open(),
    credentials: credentialsFor(double),
    folder,
    createFile: async (name, content) => ({
      resourceId: await double.createFile(`/docs/${name}`, content),
    }),
    readStored: (name) => double.readFile(`/docs/${name}`),
    // A restart of the gateway and a new adapter: state lives in the storage, not in us.
    reopen: async () => {
      await double.stop();
      await double.restart();
      return open();
    },
    dispose: async () => {
      opened.forEach((adapter) => {
        adapter.close();
      });
      await double.dispose();
    },
  };
});
